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
