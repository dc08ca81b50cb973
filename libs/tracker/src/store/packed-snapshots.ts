/**
 * Lua of the announce script (ANNOUNCE_SCRIPT interpolates it): packed snapshots of the seeders and
 * leechers sets. It expects the script's `swarms` (swarm state by info hash, see swarmOf) and `expiring`
 * (keys that get the peer TTL at the end of the batch) in scope.
 *
 * A ZRANGE of 51 members and their join in Lua cost ~25 us, most of an announce. So a seeders or leechers
 * set larger than the sample is sampled from a packed snapshot of its live members (base ..
 * 'seeders:packed', 26 bytes each, IPv4 sets only) with GETRANGE (~0.6 us). It stays exact: a member new
 * to the set, or live again, is appended; any other removal deletes it (pruned members had expired, and a
 * usable snapshot holds none); it is used only while now is below the lowest expiry it was built with
 * (base .. 'packed': sv / lv), and only if its length matches the live count. Without one, announces
 * sample the zset and count a debt (sd / ld); at count / 25 of them, about what a rebuild costs, the
 * script rebuilds it from the live members.
 */
export const PACKED_SNAPSHOTS_LUA = `
-- Per set: valid (the lowest expiry of its members when built, or false), debt (announces sampled
-- from the zset since it went) and size (its length in bytes, as its APPEND or SET left it; nil: not
-- recorded, read with STRLEN), read once per batch, written at its end (saveSnapshots).
local function loadSnapshots(s)
  if s.valid == nil then
    local fields = redis.call('HMGET', s.snapshotMeta, 'sv', 'lv', 'sd', 'ld', 'ss', 'ls')
    s.valid = {tonumber(fields[1]) or false, tonumber(fields[2]) or false}
    s.debt = {tonumber(fields[3]) or 0, tonumber(fields[4]) or 0}
    s.size = {tonumber(fields[5]), tonumber(fields[6])}
  end
end

local function dropSnapshot(s, i)
  loadSnapshots(s)
  if s.valid[i] then
    s.valid[i] = false
    s.size[i] = nil
    s.debt[i] = 0
    s.snapshotChanged = true
    redis.call('DEL', s.snapshots[i])
  end
end

-- A member new to set i (or live again): appended to a valid snapshot, which stays exact.
local function addToSnapshot(s, i, m)
  loadSnapshots(s)
  if not s.valid[i] then return end
  if #m ~= 26 then return dropSnapshot(s, i) end
  s.size[i] = redis.call('APPEND', s.snapshots[i], m)
  s.snapshotChanged = true
  expiring[s.snapshots[i]] = true
end

-- All live members of set i (count of them, the highest ranks), if all IPv4; false for a mixed set
-- (sampled by ZRANGE).
local function buildSnapshot(s, i, count)
  local members = redis.call('ZRANGE', s.sets[i], -count, -1, 'WITHSCORES')
  local joined = {}
  for k = 1, #members, 2 do
    if #members[k] ~= 26 then
      s.debt[i] = 0
      s.snapshotChanged = true
      return false
    end
    joined[#joined + 1] = members[k]
  end
  joined = table.concat(joined)
  redis.call('SET', s.snapshots[i], joined)
  expiring[s.snapshots[i]] = true
  s.valid[i] = tonumber(members[2])
  s.size[i] = #joined
  s.debt[i] = 0
  s.snapshotChanged = true
  return true
end

-- Set i's live members (count of them) in a window of "sample" consecutive ranks from start (wrapping),
-- joined, read from its snapshot; nil without a usable one (the caller samples the zset, which counts
-- towards a rebuild).
local function snapshotWindow(s, i, count, start, sample, now)
  loadSnapshots(s)
  local usable = s.valid[i] and now < s.valid[i]
  if not usable then
    s.debt[i] = s.debt[i] + 1
    s.snapshotChanged = true
    -- Rebuilding costs about as much as count / 25 announces sampled from the zset.
    if s.debt[i] >= math.max(16, count / 25) then usable = buildSnapshot(s, i, count) end
  end
  if not usable then return nil end
  if s.size[i] == nil then
    s.size[i] = redis.call('STRLEN', s.snapshots[i])
    s.snapshotChanged = true
  end
  -- It holds exactly the live members, unless something changed the set or the snapshot behind its
  -- back (a replica running an older script, eviction): then it goes. The recorded size is the
  -- snapshot's length unless it changed behind the script's back: a window shorter than asked says so.
  if s.size[i] ~= 26 * count then
    dropSnapshot(s, i)
    return nil
  end
  local snapshot = s.snapshots[i]
  start = start % count
  local last = math.min(start + sample, count)
  local joined = redis.call('GETRANGE', snapshot, start * 26, last * 26 - 1)
  if #joined ~= (last - start) * 26 then
    dropSnapshot(s, i)
    return nil
  end
  if start + sample > count then
    local wrapped = redis.call('GETRANGE', snapshot, 0, (start + sample - count) * 26 - 1)
    if #wrapped ~= (start + sample - count) * 26 then
      dropSnapshot(s, i)
      return nil
    end
    joined = joined .. wrapped
  end
  return joined
end

-- At the end of the batch: the state of the snapshots it changed.
local function saveSnapshots()
  for _, s in pairs(swarms) do
    if s.snapshotChanged then
      redis.call('HSET', s.snapshotMeta, 'sv', s.valid[1] or '', 'lv', s.valid[2] or '', 'sd', s.debt[1], 'ld', s.debt[2], 'ss', s.size[1] or '', 'ls', s.size[2] or '')
      expiring[s.snapshotMeta] = true
    end
  end
end
`;
