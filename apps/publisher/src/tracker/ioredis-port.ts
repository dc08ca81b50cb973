import type { RedisPort } from '@seedfleet/tracker';
import type { Redis } from 'ioredis';

/** libs/tracker's Redis port over an ioredis client; callBuffer keeps binary members intact. */
export function ioredisPort(redis: Redis): RedisPort {
  return { send: (command, args) => redis.callBuffer(command, [...args]) as Promise<unknown> };
}

/** Deletes every key under `prefix` (tests, and `seedfleet tracker` has no reason to call it). */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
