/**
 * One announce, atomically (the whole tracker round trip to Redis).
 *
 * KEYS: 1 seeders zset, 2 leechers zset (member -> expiry ms), 3 meta hash (member -> "s|zone|region" or
 * "l|zone|region"), 4 downloaded counter, 5 passkeys hash (passkey -> "zone|region"), 6 registered
 * info hashes set.
 * ARGV: 1 now ms, 2 peer TTL ms, 3 member (peer id + compact address), 4 event, 5 seeder "1"/"0",
 * 6 sample size, 7 passkey or "", 8 require registered "1"/"0", 9 info hash hex, 10 swarm key base for
 * the locality sets (base.."z:"..zone, base.."r:"..region), 11 TTL ms of the downloaded counter,
 * 12 a random non-negative integer (where the seeder and leecher windows start).
 * Returns {1} unknown passkey, {2} unregistered info hash, or
 * {0, complete, incomplete, downloaded, zone, region, member, meta, member, meta, ...}.
 *
 * Members expire by score: counts use ZCOUNT above `now`, so they are exact even before pruning, which
 * removes at most 100 expired members per set per announce to bound the script's time. Every swarm key
 * gets the peer TTL as its own expiry, so a swarm nobody announces to disappears whole.
 *
 * Seeders and leechers are sampled as a window of consecutive ranks from a random start (wrapping): one
 * O(log n) ZRANGE instead of ZRANDMEMBER, which costs ~1.5 us per member drawn (73 us for 51 on Redis
 * 7.0). Every peer is in the window with the same probability; peers that announced at about the same
 * time tend to be handed out together, which does no harm.
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
  if z ~= '' then redis.call('SREM', base .. 'z:' .. z, m) end
  if r ~= '' then redis.call('SREM', base .. 'r:' .. r, m) end
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
  if zone ~= '' then
    redis.call('SADD', base .. 'z:' .. zone, member)
    redis.call('PEXPIRE', base .. 'z:' .. zone, ttl)
  end
  if region ~= '' then
    redis.call('SADD', base .. 'r:' .. region, member)
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
local labelled = zone ~= '' or region ~= ''
-- From a locality set: look up the meta and the expiry of each member.
local function offerIndexed(members)
  for _, m in ipairs(members) do
    if not seen[m] then
      seen[m] = true
      local meta = redis.call('HGET', KEYS[3], m)
      if meta then
        local expires = redis.call('ZSCORE', string.sub(meta, 1, 1) == 's' and KEYS[1] or KEYS[2], m)
        if expires and tonumber(expires) > now then
          result[#result + 1] = m
          result[#result + 1] = meta
        end
      end
    end
  end
end
-- From ZRANGE WITHSCORES: the expiry comes along, and the labels matter only to a labelled requester.
local function offerScored(pairs, flag)
  for i = 1, #pairs, 2 do
    local m = pairs[i]
    if not seen[m] and tonumber(pairs[i + 1]) > now then
      seen[m] = true
      local meta = labelled and redis.call('HGET', KEYS[3], m) or (flag .. '||')
      if meta then
        result[#result + 1] = m
        result[#result + 1] = meta
      end
    end
  end
end
local function offerWindow(key, flag, random)
  local size = redis.call('ZCARD', key)
  if size <= sample then
    offerScored(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES'), flag)
    return
  end
  local start = random % size
  offerScored(redis.call('ZRANGE', key, start, start + sample - 1, 'WITHSCORES'), flag)
  if start + sample > size then offerScored(redis.call('ZRANGE', key, 0, start + sample - size - 1, 'WITHSCORES'), flag) end
end
if event ~= 'stopped' and sample > 1 then
  if zone ~= '' then offerIndexed(redis.call('SRANDMEMBER', base .. 'z:' .. zone, sample)) end
  if region ~= '' then offerIndexed(redis.call('SRANDMEMBER', base .. 'r:' .. region, sample)) end
  if not seeder then offerWindow(KEYS[1], 's', tonumber(ARGV[12])) end
  offerWindow(KEYS[2], 'l', tonumber(ARGV[12]) * 7 + 3)
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
