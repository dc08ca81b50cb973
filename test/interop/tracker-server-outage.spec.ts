import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { locateRedis, type RedisEndpoint } from '../../apps/publisher/src/redis/redis-locator';
import { announceQuery, baseUrl, httpGet, startTracker, UdpTrackerClient, type TrackerUnderTest } from './tracker-server-fixtures';
import { createTempDir, type TempDir } from './tracker-server-python';

// When its Redis goes away the tracker answers 503 with a failure reason (HTTP) or an error datagram
// (UDP): never a 500, never silence.
jest.setTimeout(60_000);

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('tracker during a Redis outage', () => {
  let dir: TempDir;
  let redis: RedisEndpoint;
  let tracker: TrackerUnderTest;
  beforeAll(async () => {
    dir = await createTempDir('seedfleet-tracker-outage-');
    redis = await locateRedis({ dataDir: dir.path, localPort: await unusedPort() });
    // No reconnection attempts, so the client ends and leaves no ioredis timers behind the test. Commands
    // then fail at once; with retries they fail after maxRetriesPerRequest, and the answer is the same.
    tracker = await startTracker({ keyPrefix: 'outage:', redisUrl: redis.url, retryStrategy: () => null, tracker: { minIntervalSeconds: 0 } });
  });
  afterAll(async () => {
    await tracker?.stop();
    await redis?.stop();
    await dir?.remove();
  });

  it('answers 503 over HTTP and an error over UDP while Redis is down', async () => {
    const infoHash = randomBytes(20);
    const client = new UdpTrackerClient('127.0.0.1', tracker.udp?.port as number);
    try {
      const connectionId = await client.connect();
      expect((await httpGet(`${baseUrl(tracker)}/announce?${announceQuery({ infoHash, peer: 1 })}`)).status).toBe(200);
      await redis.stop();
      const down = await httpGet(`${baseUrl(tracker)}/announce?${announceQuery({ infoHash, peer: 2 })}`);
      expect(down.status).toBe(503);
      expect(String(down.body.get('failure reason'))).toMatch(/temporarily unavailable/);
      const udp = await client.request(client.announceMessage(connectionId, { infoHash, peer: 3, port: 7003, left: 5n }));
      expect(udp.readUInt32BE(0)).toBe(3);
      expect(udp.subarray(8).toString()).toMatch(/temporarily unavailable/);
    } finally {
      client.close();
    }
  });
});
