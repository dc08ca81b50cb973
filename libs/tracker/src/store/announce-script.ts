import { PACKED_SNAPSHOTS_LUA } from './packed-snapshots';

/**
 * A batch of announces, each applied atomically and in order (the whole tracker round trip to Redis for
 * every announce that arrived in one event-loop turn; RedisSwarmStore caps the batch).
 *
 * KEYS: 1 passkeys hash (passkey -> "zone|region"), 2 registered info hashes set, 3 public ones.
 * ARGV: 1 peer TTL ms, 2 TTL ms of the downloaded counters, 3 key prefix of swarms (P "swarm:"), then
 * ANNOUNCE_FIELDS per announce: now ms, info hash hex, member (peer id + compact address), sample size,
 * passkey or "", and bits = random * 64 + registry * 8 + seeder * 4 + event, where random is a
 * non-negative integer below 2^31 (where the sampled windows start, and whether it prunes), registry 0
 * (any info hash), 1 (registered only) or 2 (registered as public only), seeder 1 or 0, and event 0 none,
 * 1 started, 2 completed, 3 stopped (see announceBits). Every argument costs Redis a string object and a
 * Lua string before the script runs (~0.5 µs each), so they are few.
 * Returns one reply per announce: {1} unknown passkey, {2} unregistered info hash, {3, message} a command
 * failed (the other announces carry on), or
 * {0, complete, incomplete, downloaded, zone, region, labelled, seeders, leechers}: labelled is a flat
 * {member, kind, ...} of live same-zone (kind 1 seeder, 2 leecher) and same-region (3 seeder, 4 leecher)
 * members; seeders and leechers are live members as ZRANGE returns them, or, when all are IPv4 members
 * (26 bytes), those joined into one string (table.concat runs in C: one bulk string to send and parse
 * instead of ~50). Later lists may repeat members of `labelled` (the caller drops those) and may hold the
 * requester.
 *
 * Cost model (Redis 7.0 under S4 load): every redis.call costs a few µs whatever it does, and every member
 * handled in Lua costs about as much as a cheap call; an EVALSHA of its own costs several calls more. So
 * the batch shares what announces to one swarm would each read again: set sizes (ZCARD) and live counts
 * (ZCOUNT) are read once per swarm and kept exact across the batch's own changes (a ZSCORE tells whether
 * a re-announcing member was live), as are the downloaded counter, whether the swarm has labelled members
 * at all (no HGET per announce in open mode), passkeys and registrations; a key that gained members gets
 * its PEXPIRE once, at the end (time stands still inside a script, so the expiry is the same). The common
 * path (no labels, swarm seen earlier in the batch) is ZSCORE, ZADD and ZRANGE, and no member is handled
 * in Lua: the sampled ZRANGE replies go back as they are.
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
 *
 * Snapshots: a seeders or leechers set larger than the sample is sampled from a packed snapshot of its
 * live members when it can (see packed-snapshots.ts).
 */
export const ANNOUNCE_FIELDS = 6;

const EVENT_CODES = { none: 0, started: 1, completed: 2, stopped: 3 } as const;

/** The last field of an announce in ANNOUNCE_SCRIPT's arguments (random below 2^31). */
export function announceBits(random: number, registry: 0 | 1 | 2, seeder: boolean, event: keyof typeof EVENT_CODES): number {
  return random * 64 + registry * 8 + (seeder ? 4 : 0) + EVENT_CODES[event];
}

export const ANNOUNCE_SCRIPT = `
local ttl = tonumber(ARGV[1])
local downloadedTtl = tonumber(ARGV[2])
local prefix = ARGV[3]
local EVENTS = {[0] = 'none', 'started', 'completed', 'stopped'}

-- State read once per batch. A swarm's: set keys (1 seeders, 2 leechers), card and live counts per set
-- (nil: not read yet, or no longer known), the "now" its live counts hold for, hasMeta, downloadedCount.
local swarms = {}
local passkeyLabels = {}
local registered = {{}, {}}
-- Keys that gained a member: PEXPIRE ttl once, at the end.
local expiring = {}

local function swarmOf(hex)
  local s = swarms[hex]
  if s == nil then
    local base = prefix .. hex .. ':'
    s = {base = base, sets = {base .. 'seeders', base .. 'leechers'}, meta = base .. 'meta', downloaded = base .. 'downloaded', card = {}, live = {},
      snapshots = {base .. 'seeders:packed', base .. 'leechers:packed'}, snapshotMeta = base .. 'packed'}
    swarms[hex] = s
  end
  return s
end

${PACKED_SNAPSHOTS_LUA}
local function cardOf(s, i)
  if s.card[i] == nil then s.card[i] = redis.call('ZCARD', s.sets[i]) end
  return s.card[i]
end

local function liveOf(s, i)
  if s.live[i] == nil then s.live[i] = redis.call('ZCOUNT', s.sets[i], '(' .. s.liveAtText, '+inf') end
  return s.live[i]
end

local function labelsOf(s, m)
  if s.hasMeta == nil then s.hasMeta = redis.call('EXISTS', s.meta) == 1 end
  return s.hasMeta and redis.call('HGET', s.meta, m)
end

-- A removed member may have been live or not: the set's counts are read again when next needed, and
-- its snapshot goes, unless the member had expired (a valid snapshot holds none of those).
local function zrem(s, i, m, expired)
  if redis.call('ZREM', s.sets[i], m) == 1 then
    s.card[i] = nil
    s.live[i] = nil
    if not expired then dropSnapshot(s, i) end
  end
end

local function unindex(s, m, labels)
  local bar = string.find(labels, '|', 1, true)
  -- Written before labels-only metas: "s|zone|region" or "l|zone|region" (labels hold no "|").
  if string.find(labels, '|', bar + 1, true) then
    labels = string.sub(labels, bar + 1)
    bar = string.find(labels, '|', 1, true)
  end
  local z, r = string.sub(labels, 1, bar - 1), string.sub(labels, bar + 1)
  if z ~= '' then redis.call('ZREM', s.base .. 'z:' .. z, m) end
  if r ~= '' then redis.call('ZREM', s.base .. 'r:' .. r, m) end
end

local function forget(s, m, expired)
  local labels = labelsOf(s, m)
  if labels then
    unindex(s, m, labels)
    redis.call('HDEL', s.meta, m)
  end
  zrem(s, 1, m, expired)
  zrem(s, 2, m, expired)
end

local function packed(members)
  if type(members) == 'string' or #members == 0 then return members end
  local joined = table.concat(members)
  if #joined == 26 * #members then return joined end
  return members
end

-- An empty list in replies (never written to).
local NONE = {}

-- From a locality zset (ZRANGE WITHSCORES): the score is the expiry, + 0.5 for a seeder. Appends the
-- live members not seen yet to labelled ({member, kind, ...}); returns useful, plus those selectPeers
-- could hand to this requester.
local function offerLabelled(pairs, seederKind, now, seeder, labelled, seen, useful)
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
  return useful
end

-- A window of "sample" consecutive ranks of a locality zset from a random start, wrapping.
local function labelledWindow(key, start, seederKind, sample, now, seeder, labelled, seen, useful)
  local size = redis.call('ZCARD', key)
  if size <= sample then return offerLabelled(redis.call('ZRANGE', key, 0, -1, 'WITHSCORES'), seederKind, now, seeder, labelled, seen, useful) end
  start = start % size
  useful = offerLabelled(redis.call('ZRANGE', key, start, start + sample - 1, 'WITHSCORES'), seederKind, now, seeder, labelled, seen, useful)
  if start + sample > size then useful = offerLabelled(redis.call('ZRANGE', key, 0, start + sample - size - 1, 'WITHSCORES'), seederKind, now, seeder, labelled, seen, useful) end
  return useful
end

-- The same over the live members of a seeders or leechers zset (count of them), without scores: a score
-- is an expiry time, so members not yet pruned (score <= now) hold the lowest ranks and the live ones the
-- "count" highest. Returns the members and how many of them are new candidates (not in seen, if any).
local function liveWindow(s, i, count, start, sample, now, seen)
  if count == 0 then return NONE, 0 end
  if count > sample then
    local joined = snapshotWindow(s, i, count, start, sample, now)
    if joined then
      if seen == nil then return joined, #joined / 26 end
      local fresh = 0
      for at = 1, #joined, 26 do if not seen[string.sub(joined, at, at + 25)] then fresh = fresh + 1 end end
      return joined, fresh
    end
  end
  local key = s.sets[i]
  local members
  if count <= sample then
    members = redis.call('ZRANGE', key, -count, -1)
  else
    local first = cardOf(s, i) - count
    start = start % count
    members = redis.call('ZRANGE', key, first + start, first + math.min(start + sample, count) - 1)
    if start + sample > count then
      for _, m in ipairs(redis.call('ZRANGE', key, first, first + start + sample - count - 1)) do members[#members + 1] = m end
    end
  end
  if seen == nil then return members, #members end
  local fresh = 0
  for _, m in ipairs(members) do if not seen[m] then fresh = fresh + 1 end end
  return members, fresh
end

local function announce(at)
  local nowText = ARGV[at]
  local now = tonumber(nowText)
  -- A whole number below 2^53: Redis writes it out in full.
  local expiry = now + ttl
  local hex = ARGV[at + 1]
  local member = ARGV[at + 2]
  -- One more than asked, since the requester itself may be drawn.
  local sample = tonumber(ARGV[at + 3]) + 1
  local passkey = ARGV[at + 4]
  local bits = tonumber(ARGV[at + 5])
  local flags = bits % 64
  local random = (bits - flags) / 64
  local event = EVENTS[flags % 4]
  local seeder = flags % 8 >= 4
  local registry = (flags - flags % 8) / 8

  local zone, region = '', ''
  if passkey ~= '' then
    local labels = passkeyLabels[passkey]
    if labels == nil then
      labels = redis.call('HGET', KEYS[1], passkey)
      passkeyLabels[passkey] = labels
    end
    if not labels then return {1} end
    local bar = string.find(labels, '|', 1, true)
    zone = string.sub(labels, 1, bar - 1)
    region = string.sub(labels, bar + 1)
  end
  if registry ~= 0 then
    local known = registered[registry][hex]
    if known == nil then
      known = redis.call('SISMEMBER', KEYS[registry + 1], hex) == 1
      registered[registry][hex] = known
    end
    if not known then return {2} end
  end

  local s = swarmOf(hex)
  if s.liveAt ~= now then
    -- A live count holds for a later now while the set's snapshot is usable then: every member live at
    -- the earlier now expires at or after the snapshot's lowest expiry.
    local keep = s.liveAt ~= nil and s.liveAt < now and s.valid ~= nil
    for i = 1, 2 do
      if not (keep and s.valid[i] and now < s.valid[i]) then s.live[i] = nil end
    end
    s.liveAt = now
    s.liveAtText = nowText
  end

  if random % 32 == 0 then
    for i = 1, 2 do
      for _, m in ipairs(redis.call('ZRANGEBYSCORE', s.sets[i], '-inf', nowText, 'LIMIT', 0, 100)) do forget(s, m, true) end
    end
  end

  if event == 'stopped' then
    forget(s, member)
  else
    local labelled = zone ~= '' or region ~= ''
    local labels = zone .. '|' .. region
    local old = labelsOf(s, member)
    if old and old ~= labels then
      unindex(s, member, old)
      if not labelled then redis.call('HDEL', s.meta, member) end
    end
    if labelled then
      expiring[s.meta] = true
      if old ~= labels then
        redis.call('HSET', s.meta, member, labels)
        s.hasMeta = true
      end
    end
    local mine, other = 2, 1
    if seeder then mine, other = 1, 2 end
    -- Only a peer that was not yet a seeder completes (a seeder repeating "completed" counts once).
    local wasSeeder = false
    if event == 'completed' and not seeder then wasSeeder = redis.call('ZSCORE', s.sets[1], member) end
    -- With the live count known, it stays exact: it grows unless the member was already live. A member
    -- live again is new to the snapshot.
    loadSnapshots(s)
    local previous = false
    if s.live[mine] ~= nil or s.valid[mine] then previous = redis.call('ZSCORE', s.sets[mine], member) end
    -- Snapshots get the TTL when written: one that expires before its set fails the length check.
    expiring[s.sets[mine]] = true
    -- ZADD answers 1 for a member new to the set: only then can it be in the other one.
    if redis.call('ZADD', s.sets[mine], expiry, member) == 1 then
      if s.card[mine] ~= nil then s.card[mine] = s.card[mine] + 1 end
      if s.live[mine] ~= nil then s.live[mine] = s.live[mine] + 1 end
      addToSnapshot(s, mine, member)
      zrem(s, other, member)
    else
      if seeder then wasSeeder = true end
      if previous and tonumber(previous) <= now then
        if s.live[mine] ~= nil then s.live[mine] = s.live[mine] + 1 end
        addToSnapshot(s, mine, member)
      end
    end
    -- A seeder's score in the locality zsets is its expiry + 0.5, so sampling them needs no HGET.
    local indexScore = now + ttl + (seeder and 0.5 or 0)
    if zone ~= '' then
      expiring[s.base .. 'z:' .. zone] = true
      redis.call('ZADD', s.base .. 'z:' .. zone, indexScore, member)
    end
    if region ~= '' then
      expiring[s.base .. 'r:' .. region] = true
      redis.call('ZADD', s.base .. 'r:' .. region, indexScore, member)
    end
    if event == 'completed' and not wasSeeder then
      s.downloadedCount = redis.call('INCR', s.downloaded)
      redis.call('PEXPIRE', s.downloaded, downloadedTtl)
    end
  end

  local complete, incomplete = liveOf(s, 1), liveOf(s, 2)
  if s.downloadedCount == nil then s.downloadedCount = tonumber(redis.call('GET', s.downloaded) or '0') end
  if event == 'stopped' or sample <= 1 then return {0, complete, incomplete, s.downloadedCount, zone, region, NONE, NONE, NONE} end

  -- Candidates selectPeers could hand out (a seeder drops other seeders). Groups are offered in its order
  -- of preference; once earlier groups hold numwant of them, later groups could never be picked.
  local need = sample - 1
  local labelled, seen = NONE, nil
  local useful = 0
  if zone ~= '' or region ~= '' then
    labelled, seen = {}, {[member] = true}
    if zone ~= '' then useful = labelledWindow(s.base .. 'z:' .. zone, random * 3 + 1, 1, sample, now, seeder, labelled, seen, useful) end
    if region ~= '' and useful < need then useful = labelledWindow(s.base .. 'r:' .. region, random * 5 + 2, 3, sample, now, seeder, labelled, seen, useful) end
  end
  -- Windows count members already offered as labelled only if there are any.
  if labelled == NONE or next(labelled) == nil then seen = nil end
  local seeders, leechers, fresh = NONE, NONE, 0
  if not seeder and useful < need then
    seeders, fresh = liveWindow(s, 1, complete, random, sample, now, seen)
    useful = useful + fresh
  end
  if useful < need then leechers = liveWindow(s, 2, incomplete, random * 7 + 3, sample, now, seen) end
  return {0, complete, incomplete, s.downloadedCount, zone, region, labelled, packed(seeders), packed(leechers)}
end

local replies = {}
for at = 4, #ARGV, ${ANNOUNCE_FIELDS} do
  local ok, reply = pcall(announce, at)
  if not ok then
    -- Its swarm's counts may be half updated: read them again if another announce needs them.
    swarms[ARGV[at + 1]] = nil
    reply = {3, type(reply) == 'table' and reply.err or tostring(reply)}
  end
  replies[#replies + 1] = reply
end
saveSnapshots()
for key in pairs(expiring) do redis.call('PEXPIRE', key, ttl) end
return replies
`;
