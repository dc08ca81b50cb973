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

  it('holds announces back while maxBatchesInFlight batches are unanswered, then sends them as one batch', async () => {
    // The real connection, with each reply held until the test lets it through.
    const held: (() => void)[] = [];
    const port = {
      ownsReplies: true,
      send: (command: string, args: readonly (string | Buffer | number)[]) =>
        connection.send(command, args).then((reply) => new Promise<unknown>((resolve) => held.push(() => resolve(reply)))),
    };
    const store = new RedisSwarmStore(port, { keyPrefix: prefix, peerTtlMs: 60_000, maxBatchesInFlight: 1 });
    const infoHash = randomBytes(20);
    const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    const first = store.announce(request(1, infoHash));
    while (held.length === 0) await turn();
    // Three more, in later turns, while the first batch is unanswered: none is sent yet.
    const later: ReturnType<RedisSwarmStore['announce']>[] = [];
    for (let n = 2; n <= 4; n++) {
      later.push(store.announce(request(n, infoHash)));
      await turn();
    }
    expect(store.roundTrips).toBe(1);
    held.shift()!();
    expect(await first).toMatchObject({ counts: { incomplete: 1 } });
    while (held.length === 0) await turn();
    expect(store.roundTrips).toBe(2);
    held.shift()!();
    const results = await Promise.all(later);
    expect(results.map((result) => (isFailure(result) ? result.failure : result.counts.incomplete))).toEqual([2, 3, 4]);
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

  describe('packed snapshots of large sets', () => {
    const T0 = 1_700_000_000_000;
    const ttl = 60_000;
    const at = (n: number, infoHash: Buffer, overrides: Partial<StoreAnnounce> = {}): StoreAnnounce => ({ ...request(n, infoHash), now: T0, sampleSize: 5, ...overrides });
    const handedOut = async (store: RedisSwarmStore, infoHash: Buffer, now: number, rounds = 150): Promise<Set<number>> => {
      const seen = new Set<number>();
      for (let round = 0; round < rounds; round++) {
        const result = await store.announce(at(250, infoHash, { event: 'none', now }));
        if (isFailure(result)) throw new Error(result.reason);
        for (const peer of result.candidates) seen.add(peer.peerId[0]);
      }
      return seen;
    };

    it('samples from the snapshot once built, and keeps it exact through joins, stops, expiry and changes behind its back', async () => {
      const store = new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: ttl });
      const infoHash = randomBytes(20);
      const snapshot = `${prefix}swarm:${infoHash.toString('hex')}:leechers:packed`;
      for (let n = 1; n <= 40; n++) await store.announce(at(n, infoHash));
      const everyone = await handedOut(store, infoHash, T0);
      // Peer 250 (the requester) is in the set too: 41 leechers, all in the snapshot.
      expect(await connection.send('STRLEN', [snapshot])).toBe(41 * 26);
      expect(everyone.size).toBe(41);

      await store.announce(at(7, infoHash, { event: 'stopped', now: T0 + 1 }));
      expect(await connection.send('EXISTS', [snapshot])).toBe(0);
      await store.announce(at(200, infoHash, { now: T0 + 1 }));
      const afterChanges = await handedOut(store, infoHash, T0 + 1);
      expect(afterChanges.has(7)).toBe(false);
      expect(afterChanges.has(200)).toBe(true);

      // Removed by another client: the snapshot no longer matches the live count and goes.
      await connection.send('ZREM', [`${prefix}swarm:${infoHash.toString('hex')}:leechers`, Buffer.concat([Buffer.alloc(20, 8), Buffer.from([10, 2, 0, 8, 0x1a, 0xe1])])]);
      expect((await handedOut(store, infoHash, T0 + 2)).has(8)).toBe(false);

      // Half the peers announce again later; the rest expire and are never handed out.
      const later = T0 + ttl / 2;
      for (let n = 1; n <= 20; n++) await store.announce(at(n, infoHash, { event: 'none', now: later }));
      const afterExpiry = await handedOut(store, infoHash, T0 + ttl + 1);
      expect([...afterExpiry].filter((n) => n > 20 && n !== 250)).toEqual([]);
      expect(afterExpiry.size).toBeGreaterThanOrEqual(15);
    });

    it('appends a member that expired and announces again to the snapshot', async () => {
      // Never 0 modulo 32, so no announce prunes: the expired member stays in the zset.
      let draws = 0;
      const random = (): number => (((++draws * 7919) % 100_000) * 32 + 1) / 2 ** 31;
      const store = new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: ttl, random });
      const infoHash = randomBytes(20);
      const snapshot = `${prefix}swarm:${infoHash.toString('hex')}:leechers:packed`;
      await store.announce(at(99, infoHash, { now: T0 - ttl }));
      for (let n = 1; n <= 31; n++) await store.announce(at(n, infoHash));
      expect((await handedOut(store, infoHash, T0 + 1)).has(99)).toBe(false);
      expect(await connection.send('STRLEN', [snapshot])).toBe(32 * 26);
      await store.announce(at(99, infoHash, { event: 'none', now: T0 + 2 }));
      expect(await connection.send('STRLEN', [snapshot])).toBe(33 * 26);
      expect((await handedOut(store, infoHash, T0 + 2)).has(99)).toBe(true);
    });

    it('samples a set holding IPv6 members from the zset, and hands those out too', async () => {
      const store = new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: ttl });
      const infoHash = randomBytes(20);
      for (let n = 1; n <= 30; n++) await store.announce(at(n, infoHash, n % 10 === 0 ? { address: { ip: `2001:db8::${n}`, family: 6, port: 6881 } } : {}));
      const seen = await handedOut(store, infoHash, T0);
      expect(seen.size).toBe(31);
      expect(await connection.send('EXISTS', [`${prefix}swarm:${infoHash.toString('hex')}:leechers:packed`])).toBe(0);
    });
  });

  it('refuses a batch size or a batch count in flight below 1', () => {
    expect(() => new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: 60_000, maxAnnounceBatch: 0 })).toThrow(RangeError);
    expect(() => new RedisSwarmStore(connection, { keyPrefix: prefix, peerTtlMs: 60_000, maxBatchesInFlight: 0 })).toThrow(RangeError);
  });
});
