import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySwarmStore, RedisSwarmStore, sharedTrackerSecret } from '@seedfleet/tracker';
import { Redis } from 'ioredis';
import { CONFORMANCE_PEER_TTL_MS, describeSwarmStore } from '../../../../libs/tracker/src/testing/swarm-store-conformance';
import { locateRedis } from '../redis/redis-locator';
import { deleteKeysWithPrefix, ioredisPort } from './ioredis-port';

// The local Redis every test in this repository uses; each test writes under its own key prefix.
const REDIS_URL = 'redis://127.0.0.1:6379';
let redis: Redis;
beforeAll(() => (redis = new Redis(REDIS_URL, { lazyConnect: false })));
afterAll(() => redis.quit());

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

function uniquePrefix(): string {
  return `seedfleet-test:tracker:${randomBytes(6).toString('hex')}:`;
}

describeSwarmStore('RedisSwarmStore', async () => {
  const prefix = uniquePrefix();
  return { store: new RedisSwarmStore(ioredisPort(redis), { keyPrefix: prefix, peerTtlMs: CONFORMANCE_PEER_TTL_MS }), cleanup: () => deleteKeysWithPrefix(redis, prefix) };
});

describe('RedisSwarmStore round trips and expiry', () => {
  const prefix = uniquePrefix();
  afterEach(() => deleteKeysWithPrefix(redis, prefix));
  const request = (n: number, now: number) => ({
    infoHash: Buffer.alloc(20, 7),
    peerId: Buffer.alloc(20, n),
    address: { ip: `10.1.1.${n}`, family: 4 as const, port: 6881 },
    event: 'none' as const,
    seeder: false,
    requireRegistered: false,
    sampleSize: 50,
    now,
  });

  it('answers an announce and a scrape with one command each once the script is cached', async () => {
    const store = new RedisSwarmStore(ioredisPort(redis), { keyPrefix: prefix, peerTtlMs: 60_000 });
    await store.announce(request(1, Date.now()));
    await store.scrape({ infoHashes: [Buffer.alloc(20, 7)], requireRegistered: false, now: Date.now() });
    const before = store.roundTrips;
    await store.announce(request(2, Date.now()));
    expect(store.roundTrips - before).toBe(1);
    await store.scrape({ infoHashes: [Buffer.alloc(20, 7), Buffer.alloc(20, 8)], requireRegistered: false, now: Date.now() });
    expect(store.roundTrips - before).toBe(2);
  });

  it('reloads its script after SCRIPT FLUSH (on a Redis of its own, so other tests keep their scripts)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seedfleet-tracker-redis-'));
    const own = await locateRedis({ dataDir, localPort: await unusedPort() });
    const client = new Redis(own.url);
    try {
      const store = new RedisSwarmStore(ioredisPort(client), { keyPrefix: prefix, peerTtlMs: 60_000 });
      await store.announce(request(1, Date.now()));
      await client.script('FLUSH');
      const result = await store.announce(request(2, Date.now()));
      expect(result).toMatchObject({ counts: { incomplete: 2 } });
    } finally {
      await client.quit();
      await own.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('gives every swarm key the peer TTL, so an abandoned swarm disappears', async () => {
    const store = new RedisSwarmStore(ioredisPort(redis), { keyPrefix: prefix, peerTtlMs: 60_000 });
    await store.announce(request(1, Date.now()));
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('shares one UDP secret between replicas', async () => {
    const first = await sharedTrackerSecret(ioredisPort(redis), prefix);
    const second = await sharedTrackerSecret(ioredisPort(redis), prefix);
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
  });

  it('agrees with the memory store on the same sequence of announces', async () => {
    const redisStore = new RedisSwarmStore(ioredisPort(redis), { keyPrefix: prefix, peerTtlMs: 1000 });
    const memoryStore = new MemorySwarmStore({ peerTtlMs: 1000 });
    const events = ['started', 'none', 'completed', 'stopped'] as const;
    for (let step = 0; step < 60; step++) {
      const n = (step * 7) % 9;
      const input = { ...request(n, 1_000_000 + step * 100), event: events[step % 4], seeder: step % 3 === 0 };
      const [fromRedis, fromMemory] = await Promise.all([redisStore.announce(input), memoryStore.announce(input)]);
      expect('counts' in fromRedis && fromRedis.counts).toEqual('counts' in fromMemory && fromMemory.counts);
    }
  });
});
