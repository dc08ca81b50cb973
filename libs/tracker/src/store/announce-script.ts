/**
 * One announce, atomically (the whole tracker round trip to Redis).
 *
 * KEYS: 1 seeders zset, 2 leechers zset (member -> expiry ms), 3 meta hash (member -> "zone|region", only
 * for members with a label), 4 downloaded counter, 5 passkeys hash (passkey -> "zone|region"),
 * 6 registered info hashes set.
 * ARGV: 1 now ms, 2 peer TTL ms, 3 member (peer id + compact address), 4 event, 5 seeder "1"/"0",
 * 6 sample size, 7 passkey or "", 8 require registered "1"/"0", 9 info hash hex, 10 swarm key base for
 * the locality zsets (base.."z:"..zone, base.."r:"..region; member -> expiry, + 0.5 for seeders),
 * 11 TTL ms of the downloaded counter, 12 a random non-negative integer (where the sampled windows start,
 * and whether this announce prunes), 13 now + peer TTL (the member's expiry score, as text: Lua would
 * format the number with printf, a measurable part of the script).
 * Returns {1} unknown passkey, {2} unregistered info hash, or
 * {0, complete, incomplete, downloaded, zone, region, labelled, seeders, leechers}: labelled is a flat
 * {member, kind, ...} of live same-zone (kind 1 seeder, 2 leecher) and same-region (3 seeder, 4 leecher)
 * members; seeders and leechers are live members as ZRANGE returns them, or, when all are IPv4 members
 * (26 bytes), those joined into one string (table.concat runs in C: one bulk string to send and parse
 * instead of ~50). Later lists may repeat members of `labelled` (the caller drops those) and may hold the
 * requester.
 *
 * Cost model (Redis 7.0 under S4 load): every redis.call costs a few µs whatever it does, and every member
 * handled in Lua costs about as much as a cheap call, so the common path (no labels) makes ~9 calls and
 * touches no member in Lua: the sampled ZRANGE replies go back as they are.
 *
 * Members expire by score: counts use ZCOUNT above `now`, so they are exact before pruning, and samples
 * skip expired members by rank (below). So pruning (at most 100 expired members per set) runs on one
 * announce in 32 only: it keeps memory bounded while the announce rate exceeds the expiry rate / 3.
 * Every swarm key gets the peer TTL as its own expiry whenever a member is added to it (not when one is
 * removed), so its TTL always outlasts its members, and a swarm nobody announces to disappears whole.
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
local random = tonumber(ARGV[12])

local zone, region = '', ''
if passkey ~= '' then
  local labels = redis.call('HGET', KEYS[5], passkey)
  if not labels then return {1} end
  local bar = string.find(labels, '|', 1, true)
  zone = string.sub(labels, 1, bar - 1)
  region = string.sub(labels, bar + 1)
end
if ARGV[8] == '1' and redis.call('SISMEMBER', KEYS[6], ARGV[9]) == 0 then return {2} end

local function unindex(m, labels)
  local bar = string.find(labels, '|', 1, true)
  -- Written before labels-only metas: "s|zone|region" or "l|zone|region" (labels hold no "|").
  if string.find(labels, '|', bar + 1, true) then
    labels = string.sub(labels, bar + 1)
    bar = string.find(labels, '|', 1, true)
  end
  local z, r = string.sub(labels, 1, bar - 1), string.sub(labels, bar + 1)
  if z ~= '' then redis.call('ZREM', base .. 'z:' .. z, m) end
  if r ~= '' then redis.call('ZREM', base .. 'r:' .. r, m) end
end

local function forget(m)
  local labels = redis.call('HGET', KEYS[3], m)
  if labels then
    unindex(m, labels)
    redis.call('HDEL', KEYS[3], m)
  end
  redis.call('ZREM', KEYS[1], m)
  redis.call('ZREM', KEYS[2], m)
end

if random % 32 == 0 then
  for i = 1, 2 do
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now, 'LIMIT', 0, 100)) do forget(m) end
  end
end

if event == 'stopped' then
  forget(member)
else
  local labelled = zone ~= '' or region ~= ''
  local labels = zone .. '|' .. region
  local old = redis.call('HGET', KEYS[3], member)
  if old and old ~= labels then
    unindex(member, old)
    if not labelled then redis.call('HDEL', KEYS[3], member) end
  end
  if labelled then
    if old ~= labels then redis.call('HSET', KEYS[3], member, labels) end
    redis.call('PEXPIRE', KEYS[3], ttl)
  end
  local mine, other = KEYS[2], KEYS[1]
  if seeder then mine, other = KEYS[1], KEYS[2] end
  -- Only a peer that was not yet a seeder completes (a seeder repeating "completed" counts once).
  local wasSeeder = false
  if event == 'completed' and not seeder then wasSeeder = redis.call('ZSCORE', KEYS[1], member) end
  -- ZADD answers 1 for a member new to the set: only then can it be in the other one.
  if redis.call('ZADD', mine, ARGV[13], member) == 1 then
    redis.call('ZREM', other, member)
  elseif seeder then
    wasSeeder = true
  end
  redis.call('PEXPIRE', mine, ttl)
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
end

local live = '(' .. ARGV[1]
local complete, incomplete = redis.call('ZCOUNT', KEYS[1], live, '+inf'), redis.call('ZCOUNT', KEYS[2], live, '+inf')
local downloaded = tonumber(redis.call('GET', KEYS[4]) or '0')
local labelled, seeders, leechers = {}, {}, {}
if event == 'stopped' or sample <= 1 then return {0, complete, incomplete, downloaded, zone, region, labelled, seeders, leechers} end

-- Candidates selectPeers could hand out (a seeder drops other seeders). Groups are offered in its order
-- of preference; once earlier groups hold numwant of them, later groups could never be picked.
local need = sample - 1
local useful = 0
local seen = {[member] = true}
-- From a locality zset (ZRANGE WITHSCORES): the score is the expiry, + 0.5 for a seeder.
local function offerLabelled(pairs, seederKind)
  for i = 1, #pairs, 2 do
    local m = pairs[i]
    local score = tonumber(pairs[i + 1])
    if not seen[m] and score > now then
      seen[m] = true
      local isSeed = score - math.floor(score) > 0.25
      labelled[#labelled + 1] = m
      labelled[#labelled + 1] = isSeed and seederKind or seederKind + 1
      if not (seeder and isSeed) then useful = useful + 1 end
    end
  end
end
-- A window of "sample" consecutive ranks from a random start, wrapping.
local function labelledWindow(key, start, seederKind)
  local size = redis.call('ZCARD', key)
  if size <= sample then return offerLabelled(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES'), seederKind) end
  start = start % size
  offerLabelled(redis.call('ZRANGE', key, start, start + sample - 1, 'WITHSCORES'), seederKind)
  if start + sample > size then offerLabelled(redis.call('ZRANGE', key, 0, start + sample - size - 1, 'WITHSCORES'), seederKind) end
end
-- The same over the live members of a seeders or leechers zset, without scores: a score is an expiry
-- time, so members not yet pruned (score <= now) hold the lowest ranks and the live ones the "count"
-- highest. Returns the members and how many of them are new candidates.
local function liveWindow(key, count, start)
  if count == 0 then return {}, 0 end
  local first = redis.call('ZCARD', key) - count
  local members
  if count <= sample then
    members = redis.call('ZRANGE', key, first, -1)
  else
    start = start % count
    members = redis.call('ZRANGE', key, first + start, first + math.min(start + sample, count) - 1)
    if start + sample > count then
      for _, m in ipairs(redis.call('ZRANGE', key, first, first + start + sample - count - 1)) do members[#members + 1] = m end
    end
  end
  if next(labelled) == nil then return members, #members end
  local fresh = 0
  for _, m in ipairs(members) do if not seen[m] then fresh = fresh + 1 end end
  return members, fresh
end
if zone ~= '' then labelledWindow(base .. 'z:' .. zone, random * 3 + 1, 1) end
if region ~= '' and useful < need then labelledWindow(base .. 'r:' .. region, random * 5 + 2, 3) end
local fresh
if not seeder and useful < need then
  seeders, fresh = liveWindow(KEYS[1], complete, random)
  useful = useful + fresh
end
if useful < need then leechers = liveWindow(KEYS[2], incomplete, random * 7 + 3) end
local function packed(members)
  if #members == 0 then return members end
  local joined = table.concat(members)
  if #joined == 26 * #members then return joined end
  return members
end
return {0, complete, incomplete, downloaded, zone, region, labelled, packed(seeders), packed(leechers)}
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
