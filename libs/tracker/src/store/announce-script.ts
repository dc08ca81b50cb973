/**
 * One announce, atomically (the whole tracker round trip to Redis).
 *
 * KEYS: 1 seeders zset, 2 leechers zset (member -> expiry ms), 3 meta hash (member -> "s|zone|region" or
 * "l|zone|region"), 4 downloaded counter, 5 passkeys hash (passkey -> "zone|region"), 6 registered
 * info hashes set.
 * ARGV: 1 now ms, 2 peer TTL ms, 3 member (peer id + compact address), 4 event, 5 seeder "1"/"0",
 * 6 sample size, 7 passkey or "", 8 require registered "1"/"0", 9 info hash hex, 10 swarm key base for
 * the locality zsets (base.."z:"..zone, base.."r:"..region; member -> expiry, + 0.5 for seeders), 11 TTL ms of the downloaded counter,
 * 12 a random non-negative integer (where the seeder and leecher windows start).
 * Returns {1} unknown passkey, {2} unregistered info hash, or
 * {0, complete, incomplete, downloaded, zone, region, member, meta, member, meta, ...}.
 *
 * Members expire by score: counts use ZCOUNT above `now`, so they are exact even before pruning, which
 * removes at most 100 expired members per set per announce to bound the script's time. Every swarm key
 * gets the peer TTL as its own expiry, so a swarm nobody announces to disappears whole.
 *
 * Each group (zone, region, seeders, leechers) is sampled as a window of consecutive ranks from a random
 * start (wrapping): one O(log n) ZRANGE instead of ZRANDMEMBER/SRANDMEMBER, which cost ~1.5 us per member
 * drawn (73 us for 51 on Redis 7.0). Every peer is in the window with the same probability; peers that
 * announced at about the same time tend to be handed out together, which does no harm.
 */
export const ANNOUNCE_SCRIPT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
local member = ARGV[3]
local event = ARGV[4]
local seeder = ARGV[5] == '1'
-- One more than asked, since the requester itself may be drawn.
local sample = tonumber(ARGV[6]) + 1
local passkey = ARGV[7]
local base = ARGV[10]

local zone, region = '', ''
if passkey ~= '' then
  local labels = redis.call('HGET', KEYS[5], passkey)
  if not labels then return {1} end
  local bar = string.find(labels, '|', 1, true)
  zone = string.sub(labels, 1, bar - 1)
  region = string.sub(labels, bar + 1)
end
if ARGV[8] == '1' and redis.call('SISMEMBER', KEYS[6], ARGV[9]) == 0 then return {2} end

local function unindex(m, meta)
  local bar = string.find(meta, '|', 3, true)
  local z, r = string.sub(meta, 3, bar - 1), string.sub(meta, bar + 1)
  if z ~= '' then redis.call('ZREM', base .. 'z:' .. z, m) end
  if r ~= '' then redis.call('ZREM', base .. 'r:' .. r, m) end
end

local function forget(m)
  local meta = redis.call('HGET', KEYS[3], m)
  if meta then unindex(m, meta) end
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
  redis.call('HDEL', KEYS[3], m)
end

for i = 1, 2 do
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now, 'LIMIT', 0, 100)) do forget(m) end
end

local wasSeeder = redis.call('ZSCORE', KEYS[1], member)
if event == 'stopped' then
  forget(member)
else
  local meta = (seeder and 's|' or 'l|') .. zone .. '|' .. region
  local old = redis.call('HGET', KEYS[3], member)
  if old and old ~= meta then unindex(member, old) end
  redis.call('HSET', KEYS[3], member, meta)
  if seeder then
    redis.call('ZADD', KEYS[1], now + ttl, member)
    redis.call('ZREM', KEYS[2], member)
  else
    redis.call('ZADD', KEYS[2], now + ttl, member)
    redis.call('ZREM', KEYS[1], member)
  end
  -- A seeder's score in the locality zsets is its expiry + 0.5, so sampling them needs no HGET.
  local indexScore = now + ttl + (seeder and 0.5 or 0)
  if zone ~= '' then
    redis.call('ZADD', base .. 'z:' .. zone, indexScore, member)
    redis.call('PEXPIRE', base .. 'z:' .. zone, ttl)
  end
  if region ~= '' then
    redis.call('ZADD', base .. 'r:' .. region, indexScore, member)
    redis.call('PEXPIRE', base .. 'r:' .. region, ttl)
  end
  if event == 'completed' and not wasSeeder then
    redis.call('INCR', KEYS[4])
    redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[11]))
  end
  for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ttl) end
end

local live = '(' .. now
local result = {0, redis.call('ZCOUNT', KEYS[1], live, '+inf'), redis.call('ZCOUNT', KEYS[2], live, '+inf'),
  tonumber(redis.call('GET', KEYS[4]) or '0'), zone, region}
local seen = {[member] = true}
-- Candidates selectPeers could hand out (a seeder drops other seeders). Groups are offered in its order
-- of preference; once earlier groups hold numwant of them, later groups could never be picked.
local useful = 0
local need = sample - 1
local function add(m, meta)
  result[#result + 1] = m
  result[#result + 1] = meta
  if not (seeder and string.sub(meta, 1, 1) == 's') then useful = useful + 1 end
end
-- From a locality zset (ZRANGE WITHSCORES): the score is the expiry, + 0.5 for a seeder. Members of the
-- requester's zone get its labels; members of its region get its region (their zone, if it were the
-- requester's, would have put them in the zone group).
local function offerLabelled(pairs, labels)
  for i = 1, #pairs, 2 do
    local m = pairs[i]
    local score = tonumber(pairs[i + 1])
    if not seen[m] and score > now then
      seen[m] = true
      add(m, (score - math.floor(score) > 0.25 and 's|' or 'l|') .. labels)
    end
  end
end
-- Seeders and leechers without labels (no HGET per candidate). Labels rarely matter here: a zone (or
-- region) group no larger than the sample was drawn whole above, so its members are already seen; a larger
-- one mostly fills numwant by itself. The exception: a seeder whose zone sample was mostly seeders
-- (dropped for it) may get some same-zone leechers ranked as "other".
local function offerMembers(members, meta, isSeed)
  for i = 1, #members do
    local m = members[i]
    if not seen[m] then
      seen[m] = true
      result[#result + 1] = m
      result[#result + 1] = meta
      if not (seeder and isSeed) then useful = useful + 1 end
    end
  end
end
-- A window of "sample" consecutive ranks from a random start, wrapping, handed to offer(pairs).
local function offerWindow(key, random, offer)
  local size = redis.call('ZCARD', key)
  if size <= sample then
    offer(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES'))
    return
  end
  local start = random % size
  offer(redis.call('ZRANGE', key, start, start + sample - 1, 'WITHSCORES'))
  if start + sample > size then offer(redis.call('ZRANGE', key, 0, start + sample - size - 1, 'WITHSCORES')) end
end
-- The same over the live members of a seeders or leechers zset, without scores: a score is an expiry
-- time, so the members not yet pruned (score <= now) hold the lowest ranks and the live ones the
-- "live" highest ranks. No WITHSCORES, no per-member expiry check: this half of the script was most of
-- Redis's time per announce.
local function offerLive(key, live, random, flag)
  if live == 0 then return end
  local first = redis.call('ZCARD', key) - live
  local meta, isSeed = flag .. '||', flag == 's'
  if live <= sample then
    offerMembers(redis.call('ZRANGE', key, first, -1), meta, isSeed)
    return
  end
  local start = random % live
  offerMembers(redis.call('ZRANGE', key, first + start, first + math.min(start + sample, live) - 1), meta, isSeed)
  if start + sample > live then offerMembers(redis.call('ZRANGE', key, first, first + start + sample - live - 1), meta, isSeed) end
end
local random = tonumber(ARGV[12])
if event ~= 'stopped' and sample > 1 then
  if zone ~= '' then offerWindow(base .. 'z:' .. zone, random * 3 + 1, function(pairs) offerLabelled(pairs, zone .. '|' .. region) end) end
  if region ~= '' and useful < need then offerWindow(base .. 'r:' .. region, random * 5 + 2, function(pairs) offerLabelled(pairs, '|' .. region) end) end
  if not seeder and useful < need then offerLive(KEYS[1], result[2], random, 's') end
  if useful < need then offerLive(KEYS[2], result[3], random * 7 + 3, 'l') end
end
return result
`;

/**
 * Counts for several swarms in one round trip.
 * KEYS: 1 passkeys hash, 2 registered info hashes set.
 * ARGV: 1 now ms, 2 passkey or "", 3 require registered "1"/"0", 4 key prefix of swarms, 5... info hash hex.
 * Returns {1} unknown passkey, or {0, then per hash: registered 1/0, complete, incomplete, downloaded}.
 */
export const SCRAPE_SCRIPT = `
local now = '(' .. ARGV[1]
if ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[1], ARGV[2]) == 0 then return {1} end
local result = {0}
for i = 5, #ARGV do
  local base = ARGV[4] .. ARGV[i] .. ':'
  if ARGV[3] == '1' and redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0 then
    for _ = 1, 4 do result[#result + 1] = 0 end
  else
    result[#result + 1] = 1
    result[#result + 1] = redis.call('ZCOUNT', base .. 'seeders', now, '+inf')
    result[#result + 1] = redis.call('ZCOUNT', base .. 'leechers', now, '+inf')
    result[#result + 1] = tonumber(redis.call('GET', base .. 'downloaded') or '0')
  end
end
return result
`;
