import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decode, type BDict } from '@seedfleet/bencode';
import type { RedisSwarmStore } from '@seedfleet/tracker';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from './ioredis-port';
import { TrackerModule } from './tracker.module';
import { TRACKER_STORE } from './tracker.tokens';
import { UdpTrackerService } from './udp-tracker.service';

const REDIS_URL = 'redis://127.0.0.1:6379';
const escape = (bytes: Buffer) => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
const infoHash = randomBytes(20);

describe('TrackerModule (publisher, private mode)', () => {
  const prefix = `seedfleet-test:publisher-tracker:${randomBytes(6).toString('hex')}:`;
  let app: INestApplication;
  let base: string;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    const moduleRef = await Test.createTestingModule({
      imports: [TrackerModule.forRoot(REDIS_URL, '127.0.0.1', { TRACKER_KEY_PREFIX: prefix, TRACKER_UDP_PORT: '0', TRACKER_TRUSTED_PROXIES: '127.0.0.1' })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    const store = app.get<RedisSwarmStore>(TRACKER_STORE);
    await store.registerInfoHash(infoHash);
    await store.registerPasskey('agent-passkey-1', { zone: 'z1', region: 'r1' });
  });

  afterAll(async () => {
    await app.close();
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: BDict }> {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, body: decode(Buffer.from(await response.arrayBuffer())).value as BDict };
  }

  const query = (n: number, extra = '') => `?info_hash=${escape(infoHash)}&peer_id=${escape(Buffer.alloc(20, n))}&port=${6880 + n}&uploaded=0&downloaded=0&left=10${extra}`;

  it('serves announces with a registered passkey, with locality and trusted-proxy addresses', async () => {
    await get(`/announce/agent-passkey-1${query(1)}`, { 'x-forwarded-for': '198.51.100.7' });
    const second = await get(`/announce/agent-passkey-1${query(2, '&compact=0')}`);
    expect(second.status).toBe(200);
    expect(second.body.get('incomplete')).toBe(2);
    const peers = second.body.get('peers') as BDict[];
    expect(peers.map((peer) => [String(peer.get('ip')), peer.get('port')])).toEqual([['198.51.100.7', 6881]]);
  });

  it('refuses a missing or unknown passkey and an unregistered torrent with a failure reason', async () => {
    const missing = await get(`/announce${query(3)}`);
    expect(String(missing.body.get('failure reason'))).toMatch(/private tracker/);
    const unknown = await get(`/announce/not-a-known-passkey${query(3)}`);
    expect(String(unknown.body.get('failure reason'))).toMatch(/unknown passkey/);
    const other = await get(`/announce/agent-passkey-1${query(3).replace(escape(infoHash), escape(Buffer.alloc(20, 0xee)))}`);
    expect(String(other.body.get('failure reason'))).toMatch(/unregistered torrent/);
  });

  it('answers malformed queries with a 4xx and a failure reason', async () => {
    const bad = await get('/announce/agent-passkey-1?info_hash=%zz');
    expect(bad.status).toBe(400);
    expect(bad.body.get('failure reason')).toBeDefined();
    const noPort = await get(`/announce/agent-passkey-1${query(1).replace('port=6881&', '')}`);
    expect(noPort.status).toBe(400);
  });

  it('scrapes registered torrents at /scrape/<passkey>', async () => {
    const scrape = await get(`/scrape/agent-passkey-1?info_hash=${escape(infoHash)}`);
    const files = scrape.body.get('files') as BDict;
    expect((files.get(infoHash.toString('latin1')) as BDict).get('incomplete')).toBe(2);
  });

  it('runs a UDP tracker that tells clients to use HTTP in private mode', async () => {
    const port = app.get(UdpTrackerService).port as number;
    const socket = createSocket('udp4');
    try {
      const reply = await new Promise<Buffer>((resolveReply, reject) => {
        socket.once('message', resolveReply);
        socket.once('error', reject);
        const connect = Buffer.alloc(16);
        connect.writeBigUInt64BE(0x41727101980n, 0);
        connect.writeUInt32BE(7, 12);
        socket.send(connect, port, '127.0.0.1');
      });
      expect(reply.readUInt32BE(0)).toBe(0);
      const connectionId = reply.subarray(8, 16);
      const announce = Buffer.alloc(98);
      connectionId.copy(announce, 0);
      announce.writeUInt32BE(1, 8);
      announce.writeUInt32BE(8, 12);
      infoHash.copy(announce, 16);
      announce.writeUInt16BE(6881, 96);
      const error = await new Promise<Buffer>((resolveReply) => {
        socket.once('message', resolveReply);
        socket.send(announce, port, '127.0.0.1');
      });
      expect(error.readUInt32BE(0)).toBe(3);
      expect(error.subarray(8).toString()).toMatch(/private tracker/);
    } finally {
      socket.close();
    }
  });
});
