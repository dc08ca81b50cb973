import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

export class LockTimeoutError extends Error {
  override name = 'LockTimeoutError';
}

/**
 * Runs `action` while holding a Redis lock (SET NX PX, released only by its holder), so read-modify-write
 * updates of one record from several replicas and workers do not overwrite each other. The lease bounds how
 * long a crashed holder blocks others.
 */
export async function withRedisLock<T>(redis: Redis, key: string, action: () => Promise<T>, options: { leaseMs?: number; waitMs?: number } = {}): Promise<T> {
  const leaseMs = options.leaseMs ?? 15_000;
  const deadline = Date.now() + (options.waitMs ?? 20_000);
  const token = randomBytes(12).toString('base64url');
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if ((await redis.set(key, token, 'PX', leaseMs, 'NX')) === 'OK') break;
    if (Date.now() > deadline) throw new LockTimeoutError(`could not lock ${key} within ${options.waitMs ?? 20_000} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
  try {
    return await action();
  } finally {
    await redis.eval(RELEASE_SCRIPT, 1, key, token);
  }
}
