import { encode, type BEncodable } from '@seedfleet/bencode';
import { encodeCompactPeers } from '@seedfleet/wire';
import { parseRawQuery } from '@seedfleet/testing';
import type { ServerResponse } from 'node:http';
import { announce, scrape } from '../announce';
import { closedTcpPort, serveHttp } from '../testing/test-servers';
import { trackerFailure } from '../testing/expect-tracker-error';
import type { AnnounceParams } from '../types';

// Binary bytes that percent-encoding must carry exactly: unreserved, reserved and high bytes.
const infoHash = Buffer.from('00ff2541262b3d3f7e2e2d5f20a0c3a9e282ac0a', 'hex');
const peerId = Buffer.from('-SF0001-abc%&=+ \x01\x02\x03\xff', 'latin1');
const params: AnnounceParams = { infoHash, peerId, port: 6881, uploaded: 10, downloaded: 20, left: 30, event: 'started', numwant: 25, key: 0xbeef };

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function trackerAnswering(answer: (response: ServerResponse) => void) {
  const server = await serveHttp((_request, response) => answer(response));
  servers.push(server);
  return server;
}

async function trackerSaying(body: BEncodable | Buffer, status = 200) {
  return trackerAnswering((response) => response.writeHead(status).end(Buffer.isBuffer(body) ? body : encode(body)));
}


describe('HTTP announce', () => {
  it('sends BEP 3 parameters with binary hashes percent-encoded, keeping the URL query', async () => {
    const server = await trackerSaying({ interval: 60, peers: Buffer.alloc(0) });
    await announce(`${server.base}/announce?passkey=s3cret`, { ...params, trackerId: 'id\xff' });
    const query = parseRawQuery(server.received[0]);
    expect(server.received[0].startsWith('/announce?passkey=s3cret&info_hash=')).toBe(true);
    expect(query.get('info_hash')).toEqual([infoHash]);
    expect(query.get('peer_id')).toEqual([peerId]);
    const text = (name: string) => query.get(name)?.[0].toString('latin1');
    expect([text('port'), text('uploaded'), text('downloaded'), text('left')]).toEqual(['6881', '10', '20', '30']);
    expect([text('compact'), text('event'), text('numwant'), text('key'), text('trackerid')]).toEqual(['1', 'started', '25', '0000beef', 'id\xff']);
  });

  it('reads compact peers, BEP 7 peers6 and every optional field', async () => {
    const server = await trackerSaying({
      interval: 1800,
      'min interval': 900,
      complete: 3,
      incomplete: 7,
      'tracker id': Buffer.from([0x61, 0xff]),
      'warning message': 'slow down',
      peers: encodeCompactPeers([{ host: '10.0.0.1', port: 6881 }, { host: '192.168.1.2', port: 51413 }], 'ipv4'),
      peers6: encodeCompactPeers([{ host: '2001:db8::1', port: 6882 }], 'ipv6'),
    });
    const result = await announce(`${server.base}/announce`, params);
    expect(result).toEqual({
      interval: 1800,
      minInterval: 900,
      complete: 3,
      incomplete: 7,
      trackerId: 'a\xff',
      warning: 'slow down',
      peers: [
        { host: '10.0.0.1', port: 6881 },
        { host: '192.168.1.2', port: 51413 },
        { host: '2001:db8::1', port: 6882 },
      ],
    });
  });

  it('reads dictionary peers and skips entries it cannot use', async () => {
    const server = await trackerSaying({
      interval: 60,
      peers: [
        { ip: '10.0.0.1', port: 1, 'peer id': Buffer.alloc(20) },
        { ip: '::FFFF:1.2.3.4', port: 2 },
        { ip: 'tracker.example', port: 3 },
        { ip: '10.0.0.2', port: 0 },
        { ip: '10.0.0.3', port: 70000 },
        { ip: '10.0.0.4' },
        'not a dict',
      ],
    });
    expect((await announce(`${server.base}/announce`, params)).peers).toEqual([
      { host: '10.0.0.1', port: 1 },
      { host: '::ffff:1.2.3.4', port: 2 },
    ]);
  });

  it('lists an address once even when the tracker repeats it', async () => {
    const twice = [{ host: '10.0.0.1', port: 1 }, { host: '10.0.0.2', port: 1 }, { host: '10.0.0.1', port: 1 }];
    const server = await trackerSaying({ interval: 60, peers: encodeCompactPeers(twice, 'ipv4') });
    expect((await announce(`${server.base}/announce`, params)).peers).toEqual(twice.slice(0, 2));
  });

  it('keeps at most maxPeers peers', async () => {
    const many = Array.from({ length: 50 }, (_, index) => ({ host: `10.0.0.${index + 1}`, port: 1000 + index }));
    const server = await trackerSaying({ interval: 60, peers: encodeCompactPeers(many, 'ipv4'), peers6: encodeCompactPeers([{ host: '::1', port: 1 }], 'ipv6') });
    expect((await announce(`${server.base}/announce`, params, { maxPeers: 10 })).peers).toEqual(many.slice(0, 10));
  });

  it('follows redirects up to the limit', async () => {
    const target = await trackerSaying({ interval: 42, peers: Buffer.alloc(0) });
    const hop = await serveHttp((request, response) => response.writeHead(302, { location: `${target.base}${request.url}` }).end());
    servers.push(hop);
    expect((await announce(`${hop.base}/announce`, params)).interval).toBe(42);
    expect(target.received).toEqual(hop.received);

    const loop = await trackerAnswering((response) => response.writeHead(307, { location: '/announce' }).end());
    expect((await trackerFailure(announce(`${loop.base}/announce`, params, { maxRedirects: 3 }))).code).toBe('too-many-redirects');
    expect(loop.received).toHaveLength(4);
  });

  it('refuses a redirect to another scheme', async () => {
    const server = await trackerAnswering((response) => response.writeHead(301, { location: 'file:///etc/passwd' }).end());
    expect((await trackerFailure(announce(`${server.base}/announce`, params))).code).toBe('bad-response');
  });
});

describe('HTTP announce against hostile or broken trackers', () => {
  it('turns a failure reason into code "failure", with or without a 200', async () => {
    const refused = await trackerSaying({ 'failure reason': 'unregistered torrent' });
    const error = await trackerFailure(announce(`${refused.base}/announce`, params));
    expect([error.code, error.message, error.url]).toEqual(['failure', 'the tracker refused: unregistered torrent', `${refused.base}/announce`]);

    const refused400 = await trackerSaying({ 'failure reason': 'bad passkey' }, 400);
    const error400 = await trackerFailure(announce(`${refused400.base}/announce`, params));
    expect([error400.code, error400.status]).toEqual(['failure', 400]);
  });

  it('reports other statuses as "http-status"', async () => {
    const server = await trackerSaying(Buffer.from('<html>oops</html>'), 503);
    const error = await trackerFailure(announce(`${server.base}/announce`, params));
    expect([error.code, error.status]).toEqual(['http-status', 503]);
  });

  it.each([
    ['garbage', Buffer.from('<html>not bencode</html>')],
    ['a list', encode([1, 2])],
    ['no interval', encode({ peers: Buffer.alloc(0) })],
    ['a negative interval', encode({ interval: -5, peers: Buffer.alloc(0) })],
    ['a string interval', encode({ interval: '60', peers: Buffer.alloc(0) })],
    ['compact peers of 7 bytes', encode({ interval: 60, peers: Buffer.alloc(7) })],
    ['compact peers6 of 17 bytes', encode({ interval: 60, peers: Buffer.alloc(0), peers6: Buffer.alloc(17) })],
    ['peers as an integer', encode({ interval: 60, peers: 5 })],
    ['a truncated dict', Buffer.from('d8:intervali60e5:peers')],
    ['deep nesting', Buffer.from(`${'l'.repeat(1000)}${'e'.repeat(1000)}`)],
    ['an empty body', Buffer.alloc(0)],
  ])('rejects %s as "bad-response"', async (_name, body) => {
    const server = await trackerSaying(body);
    expect((await trackerFailure(announce(`${server.base}/announce`, params))).code).toBe('bad-response');
  });

  it('refuses a body over the size limit, declared or streamed', async () => {
    const declared = await trackerSaying(Buffer.alloc(5000, 0x61));
    expect((await trackerFailure(announce(`${declared.base}/announce`, params, { maxResponseBytes: 4096 }))).code).toBe('too-large');

    // Chunked and endless: the client must stop reading, not buffer forever.
    const endless = await trackerAnswering((response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once('drain', pump);
      };
      pump();
    });
    expect((await trackerFailure(announce(`${endless.base}/announce`, params, { maxResponseBytes: 1024 * 1024 }))).code).toBe('too-large');
  });

  it('times out on a tracker that never answers, and on one that stops mid-body', async () => {
    const silent = await trackerAnswering(() => undefined);
    expect((await trackerFailure(announce(`${silent.base}/announce`, params, { timeoutMs: 200 }))).code).toBe('timeout');

    const stalling = await trackerAnswering((response) => {
      response.writeHead(200, { 'content-length': 100 });
      response.write('d8:interval');
    });
    expect((await trackerFailure(announce(`${stalling.base}/announce`, params, { timeoutMs: 200 }))).code).toBe('timeout');
  });

  it('reports a connection reset mid-body and a refused connection as "network"', async () => {
    const resetting = await trackerAnswering((response) => {
      response.writeHead(200, { 'content-length': 100 });
      response.write('d8:interval', () => response.socket?.resetAndDestroy());
    });
    expect((await trackerFailure(announce(`${resetting.base}/announce`, params))).code).toBe('network');

    const port = await closedTcpPort();
    expect((await trackerFailure(announce(`http://127.0.0.1:${port}/announce`, params))).code).toBe('network');
  });

  it('stops when the caller aborts', async () => {
    const silent = await trackerAnswering(() => undefined);
    const controller = new AbortController();
    const pending = announce(`${silent.base}/announce`, params, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await trackerFailure(pending)).code).toBe('aborted');

    expect((await trackerFailure(announce(`${silent.base}/announce`, params, { signal: AbortSignal.abort() }))).code).toBe('aborted');
  });
});

describe('announce parameter and URL checks', () => {
  it('refuses URLs that are not http(s) or udp', async () => {
    expect((await trackerFailure(announce('wss://tracker.example/announce', params))).code).toBe('unsupported-url');
    expect((await trackerFailure(announce('not a url', params))).code).toBe('unsupported-url');
    expect((await trackerFailure(announce('udp://tracker.example/announce', params))).code).toBe('unsupported-url');
  });

  it.each([
    ['a short info hash', { infoHash: Buffer.alloc(19) }],
    ['a long peer id', { peerId: Buffer.alloc(21) }],
    ['port 70000', { port: 70000 }],
    ['negative left', { left: -1 }],
    ['fractional uploaded', { uploaded: 1.5 }],
    ['a 33-bit key', { key: 2 ** 32 }],
  ])('refuses %s as "bad-params"', async (_name, change) => {
    expect((await trackerFailure(announce('http://127.0.0.1:1/announce', { ...params, ...change }))).code).toBe('bad-params');
  });
});

describe('HTTP scrape', () => {
  it('derives the scrape URL (BEP 48) and reads the counts', async () => {
    const other = Buffer.alloc(20, 7);
    const server = await trackerSaying({
      files: new Map([[infoHash, { complete: 5, downloaded: 50, incomplete: 2 }], [other, { complete: 1 }]]),
    });
    const result = await scrape(`${server.base}/announce.php?passkey=k`, [infoHash, other]);
    expect(server.received[0]).toMatch(/^\/scrape\.php\?passkey=k&info_hash=.+&info_hash=/);
    expect(parseRawQuery(server.received[0]).get('info_hash')).toEqual([infoHash, other]);
    expect(result).toEqual(
      new Map([
        [infoHash.toString('hex'), { complete: 5, downloaded: 50, incomplete: 2 }],
        [other.toString('hex'), { complete: 1, downloaded: 0, incomplete: 0 }],
      ]),
    );
  });

  it('refuses a URL without "announce" and broken answers', async () => {
    expect((await trackerFailure(scrape('http://127.0.0.1:1/tracker', [infoHash]))).code).toBe('unsupported-url');
    const server = await trackerSaying({ files: new Map([[Buffer.alloc(5), { complete: 1 }]]) });
    expect((await trackerFailure(scrape(`${server.base}/announce`, [infoHash]))).code).toBe('bad-response');
  });
});
