import { randomBytes } from 'node:crypto';
import { waitFor } from '@seedfleet/testing';
import { Redis } from 'ioredis';
import { RepositoryLock, RepositoryLockError } from './repository-lock';

// Real Redis (127.0.0.1:6379), one key per test.
let redis: Redis;
let key: string;

beforeAll(() => {
  redis = new Redis('redis://127.0.0.1:6379');
});
beforeEach(() => {
  key = `seedfleet-test:repository-lock:${randomBytes(6).toString('hex')}`;
});
afterEach(() => redis.del(key));
afterAll(() => redis.quit());

describe('RepositoryLock', () => {
  it('runs holders one at a time, across instances sharing the key', async () => {
    const locks = [new RepositoryLock(redis, key), new RepositoryLock(redis, key), new RepositoryLock(redis, key)];
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        locks[index % 3].withLock(async () => {
          most = Math.max(most, ++inside);
          await new Promise((resolve) => setImmediate(resolve));
          order.push(index);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index));
    expect(await redis.exists(key)).toBe(0);
  });

  it('renews the lease while the holder works, so a long write keeps others out', async () => {
    const lock = new RepositoryLock(redis, key, { leaseMs: 150 });
    const other = new RepositoryLock(redis, key, { waitMs: 50 });
    await lock.withLock(async () => {
      const started = Date.now();
      await waitFor('three lease lengths to pass', async () => (Date.now() - started > 450 ? true : undefined), { timeoutMs: 5_000, intervalMs: 25 });
      expect(await redis.pttl(key)).toBeGreaterThan(0);
      await expect(other.withLock(async () => undefined)).rejects.toThrow(RepositoryLockError);
    });
    expect(await redis.exists(key)).toBe(0);
  });

  it('reports a lost lease and never deletes a lock another holder took since', async () => {
    const lost: string[] = [];
    const lock = new RepositoryLock(redis, key, { leaseMs: 90, onLost: (name) => lost.push(name) });
    await lock.withLock(async () => {
      await redis.set(key, 'someone-else');
      await waitFor('the renewal to notice', async () => (lost.length > 0 ? true : undefined), { timeoutMs: 5_000, intervalMs: 10 });
    });
    expect(lost[0]).toBe(key);
    expect(await redis.get(key)).toBe('someone-else');
  });

  it('releases the lock when the action fails', async () => {
    const lock = new RepositoryLock(redis, key);
    await expect(lock.withLock(async () => Promise.reject(new Error('write failed')))).rejects.toThrow('write failed');
    expect(await redis.exists(key)).toBe(0);
  });
});
