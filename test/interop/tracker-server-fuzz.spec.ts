import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { decode } from '@seedfleet/bencode';
import fc from 'fast-check';
import { TrackerModule } from '../../apps/publisher/src/tracker/tracker.module';
import { cleanupPrefix, escapeBytes, REDIS_URL, startTracker, UdpTrackerClient, uniquePrefix, type TrackerUnderTest } from './tracker-server-fixtures';

// Fuzzed announce and scrape requests over real HTTP never get a 500 (nor a crash or a hang), from the
// plain server (seedfleet tracker) and from the publisher's Nest module alike.
jest.setTimeout(180_000);

const knownHash = randomBytes(20);
const PASSKEY = 'fuzz-passkey-0001';

/** Sends one raw request (any request-target bytes) and returns the status code and body. */
function rawGet(port: number, target: string, headers: string[]): Promise<{ status: number; body: Buffer; contentType: string | undefined }> {
  return new Promise((resolveResponse, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no response to ${JSON.stringify(target).slice(0, 200)}`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const response = Buffer.concat(chunks);
      const headerEnd = response.indexOf('\r\n\r\n');
      const head = response.subarray(0, headerEnd < 0 ? response.length : headerEnd).toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolveResponse({ status, body: headerEnd < 0 ? Buffer.alloc(0) : response.subarray(headerEnd + 4), contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1] });
    });
    socket.write(Buffer.from(`GET ${target} HTTP/1.1\r\nHost: tracker\r\n${headers.map((header) => `${header}\r\n`).join('')}Connection: close\r\n\r\n`, 'latin1'));
  });
}

const escaped = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => escapeBytes(Buffer.from(bytes)));
const parameterValue = fc.oneof(
  escaped(20),
  fc.constant(escapeBytes(knownHash)),
  fc.integer({ min: 0, max: 30 }).chain(escaped),
  fc.constantFrom('', '0', '1', '-1', '65535', '65536', '99999999999999999999999', '1e3', '0x10', 'started', 'completed', 'stopped', 'paused', '%', '%4', '%zz', '%00', '+', '::1', '127.0.0.1', '[::1]'),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((text) => text.replace(/[\r\n ]/g, '')),
);
const parameterName = fc.oneof(
  fc.constantFrom('info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'event', 'numwant', 'compact', 'no_peer_id', 'ip', 'ipv6', 'key', 'trackerid', 'corrupt'),
  fc.string({ unit: 'binary-ascii', maxLength: 12 }).map((text) => text.replace(/[\r\n =&]/g, '')),
);
const validAnnounce = fc.record({ peer: escaped(20), port: fc.integer({ min: 1, max: 65535 }), left: fc.nat() });
const query = fc.oneof(
  fc.array(fc.tuple(parameterName, parameterValue), { maxLength: 14 }).map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&')),
  // Mostly valid announces with one field garbled, to reach deeper than the first check.
  fc.tuple(validAnnounce, parameterName, parameterValue).map(
    ([valid, name, value]) => `info_hash=${escapeBytes(knownHash)}&peer_id=${valid.peer}&port=${valid.port}&uploaded=0&downloaded=0&left=${valid.left}&${name}=${value}`,
  ),
  fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((text) => text.replace(/[\r\n ]/g, '')),
);
const path = fc.oneof(
  fc.constantFrom('/announce', '/scrape', `/announce/${PASSKEY}`, `/scrape/${PASSKEY}`, '/announce/', '/announce/%', '/announce/%E0%A4%A', '/announce/..%2F..', '//announce', '/announce?', '/scrape/x/y'),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((text) => `/announce/${text.replace(/[\r\n ?#]/g, '')}`),
);
const headers = fc.array(fc.constantFrom('X-Forwarded-For: 203.0.113.9', 'X-Forwarded-For: not-an-ip, ::1', 'X-Forwarded-For: ' + 'x'.repeat(3000), 'Accept: */*'), { maxLength: 2 });

async function fuzz(port: number, runs: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(path, query, headers, async (requestPath, requestQuery, requestHeaders) => {
      const response = await rawGet(port, `${requestPath}?${requestQuery}`, requestHeaders);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      expect(response.status).toBeGreaterThanOrEqual(200);
      expect(response.status).toBeLessThan(500);
      // Whatever our handler answered is bencode; only Node's own parser answers 400 without a body.
      if (response.contentType?.startsWith('text/plain')) expect(() => decode(response.body)).not.toThrow();
    }),
    { numRuns: runs },
  );
  return statuses;
}

describe('fuzzed HTTP tracker requests never produce a 500', () => {
  const prefix = uniquePrefix('tracker-fuzz');
  let open: TrackerUnderTest;
  let closed: TrackerUnderTest;
  let app: INestApplication;
  let appPort: number;

  beforeAll(async () => {
    open = await startTracker({ keyPrefix: prefix, tracker: { minIntervalSeconds: 0 }, http: { trustedProxies: ['127.0.0.1'] } });
    closed = await startTracker({ keyPrefix: prefix, tracker: { access: { kind: 'private' }, minIntervalSeconds: 0 } });
    await closed.store.registerInfoHash(knownHash);
    await closed.store.registerPasskey(PASSKEY, { zone: 'z', region: 'r' });
    const moduleRef = await Test.createTestingModule({ imports: [TrackerModule.forRoot(REDIS_URL, '127.0.0.1', { TRACKER_KEY_PREFIX: prefix, TRACKER_TRUSTED_PROXIES: '127.0.0.1' })] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    appPort = Number(new URL(await app.getUrl()).port);
  });

  afterAll(async () => {
    await Promise.all([open?.stop(), closed?.stop(), app?.close()]);
    await cleanupPrefix(prefix);
  });

  it('open mode, plain node:http server', async () => {
    const statuses = await fuzz(open.http.port, 400);
    // The generators reach both successful announces and refusals.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });

  it('private mode, plain node:http server', async () => {
    const statuses = await fuzz(closed.http.port, 300);
    expect(statuses.get(200)).toBeGreaterThan(0);
  });

  it('private mode, the publisher Nest module', async () => {
    const statuses = await fuzz(appPort, 300);
    expect(statuses.get(200)).toBeGreaterThan(0);
  });
});

describe('fuzzed UDP datagrams never stop the UDP tracker', () => {
  const prefix = uniquePrefix('tracker-fuzz-udp');
  let tracker: TrackerUnderTest;
  let client: UdpTrackerClient;
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, tracker: { minIntervalSeconds: 0 } });
    client = new UdpTrackerClient('127.0.0.1', tracker.udp?.port as number);
  });
  afterAll(async () => {
    client.close();
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  it('answers a connect after arbitrary and half-valid datagrams', async () => {
    const connectionId = await client.connect();
    const datagram = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.tuple(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 200 })).map(([action, tail]) => {
        const header = Buffer.alloc(16);
        connectionId.copy(header, 0);
        header.writeUInt32BE(action, 8);
        header.writeUInt32BE(0xfffffff0, 12);
        return Buffer.concat([header, Buffer.from(tail)]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(datagram, { minLength: 1, maxLength: 5 }), async (datagrams) => {
        const connect = Buffer.alloc(16);
        connect.writeBigUInt64BE(0x41727101980n, 0);
        connect.writeUInt32BE(client.transaction(), 12);
        for (const bytes of datagrams) await client.firstReplyAfter(bytes, Buffer.from(connect)).catch(() => undefined);
        const reply = await client.request(connect);
        expect(reply.readUInt32BE(0)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
