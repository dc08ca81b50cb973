import { randomBytes } from 'node:crypto';
import { isFailure } from '../core/failure';
import { RedisScriptError } from './redis-port';
import { RedisSwarmStore } from './redis-swarm-store';
import { RespConnection } from './resp/resp-connection';
import type { StoreAnnounce } from './swarm-store';

// The local Redis every test in this repository uses; keys live under a prefix of their own.
const REDIS_URL = 'redis://127.0.0.1:6379';

describe('RedisSwarmStore announce batches', () => {
  const prefix = `seedfleet-test:store-batch:${randomBytes(6).toString('hex')}:`;
  let connection: RespConnection;
  beforeAll(async () => (connection = await RespConnection.open(REDIS_URL)));
  afterAll(async () => {
    const keys = (await connection.send('KEYS', [`${prefix}*`])) as Buffer[];
    if (keys.length > 0) await connection.send('DEL', keys);
    await connection.close();
  });

  const request = (n: number, infoHash: Buffer): StoreAnnounce => ({
    infoHash,
    peerId: Buffer.alloc(20, n),
    address: { ip: `10.2.0.${n}`, family: 4, port: 6881 },
    event: 'started',
    seeder: false,
    requireRegistered: false,
    sampleSize: 50,
    now: Date.now(),
  });

  it('sends the announces of one event-loop turn in one EVALSHA, at most maxAnnounceBatch at a time', async () => {
    const store = new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: 60_000, maxAnnounceBatch: 4 });
    const infoHash = randomBytes(20);
    await store.announce(request(1, infoHash));
    const before = store.roundTrips;
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => store.announce(request(index + 2, infoHash))));
    expect(store.roundTrips - before).toBe(3);
    expect(results.map((result) => (isFailure(result) ? result.failure : result.counts.incomplete))).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('fails only the announce whose Redis command failed; the rest of its batch is answered', async () => {
    const store = new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: 60_000 });
    const broken = randomBytes(20);
    const healthy = randomBytes(20);
    // A swarm key of the wrong type: its ZADD answers WRONGTYPE.
    await connection.send('SET', [`${prefix}swarm:${broken.toString('hex')}:leechers`, 'not a zset']);
    const before = store.roundTrips;
    const [first, failed, last] = await Promise.allSettled([store.announce(request(1, healthy)), store.announce(request(2, broken)), store.announce(request(3, healthy))]);
    expect(store.roundTrips - before).toBe(1);
    expect(failed).toMatchObject({ status: 'rejected', reason: expect.any(RedisScriptError) });
    expect(String((failed as PromiseRejectedResult).reason)).toMatch(/WRONGTYPE/);
    expect(first).toMatchObject({ status: 'fulfilled', value: { counts: { complete: 0, incomplete: 1, downloaded: 0 } } });
    expect(last).toMatchObject({ status: 'fulfilled', value: { counts: { complete: 0, incomplete: 2, downloaded: 0 } } });
  });

  it('refuses a batch size below 1', () => {
    expect(() => new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: 60_000, maxAnnounceBatch: 0 })).toThrow(RangeError);
  });
});
