import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import type { BDict } from '@seedfleet/bencode';
import { announceQuery, baseUrl, cleanupPrefix, compactPeers, escapeBytes, eventually, httpGet, peerIdOf, startTracker, uniquePrefix, type TrackerUnderTest } from './tracker-server-fixtures';

/** A GET sent from a chosen local address (fetch cannot pick one); resolves to the status code. */
function getFrom(localAddress: string, url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolveStatus, reject) => {
    get(url, { localAddress, headers }, (response) => {
      response.resume();
      response.on('end', () => resolveStatus(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

// Conformance of our HTTP tracker (BEP 3, 7, 23, 48) over real HTTP with the real Redis store.
jest.setTimeout(30_000);

describe('HTTP tracker conformance (open mode, Redis)', () => {
  const prefix = uniquePrefix('tracker-http');
  let tracker: TrackerUnderTest;
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, tracker: { intervalSeconds: 900, minIntervalSeconds: 0, trackerId: 'sf-test', maxNumWant: 5, defaultNumWant: 3 }, http: { trustedProxies: ['::ffff:127.0.0.2'] } });
  });
  afterAll(async () => {
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  const announce = (parameters: Parameters<typeof announceQuery>[0], family: 4 | 6 = 4, headers: Record<string, string> = {}) =>
    httpGet(`${baseUrl(tracker, family)}/announce?${announceQuery(parameters)}`, headers);

  it('answers a first announce with counts, intervals, tracker id and no peers', async () => {
    const infoHash = randomBytes(20);
    const reply = await announce({ infoHash, peer: 1, event: 'started' });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^text\/plain/);
    expect(Object.fromEntries(reply.body)).toMatchObject({ complete: 0, incomplete: 1, downloaded: 0, interval: 900, 'min interval': 0 });
    expect(String(reply.body.get('tracker id'))).toBe('sf-test');
    expect(reply.body.get('peers')).toEqual(Buffer.alloc(0));
  });

  it('hands out compact IPv4 peers (BEP 23) and never the requester', async () => {
    const infoHash = randomBytes(20);
    await announce({ infoHash, peer: 1, left: 0 });
    await announce({ infoHash, peer: 2 });
    const reply = await announce({ infoHash, peer: 3 });
    expect(reply.body.get('complete')).toBe(1);
    expect(reply.body.get('incomplete')).toBe(2);
    const peers = compactPeers(reply.body.get('peers'), 6);
    expect(peers.map((peer) => peer.port).sort()).toEqual([6001, 6002]);
    expect(peers.every((peer) => peer.ip === '127.0.0.1')).toBe(true);
    // Seeders come first for a leecher.
    expect(peers[0].port).toBe(6001);
  });

  it('hands out dictionary peers with and without peer ids (compact=0, no_peer_id)', async () => {
    const infoHash = randomBytes(20);
    await announce({ infoHash, peer: 1 });
    const reply = await announce({ infoHash, peer: 2, compact: 0 });
    const [peer] = reply.body.get('peers') as BDict[];
    expect(Object.fromEntries(peer)).toEqual({ 'peer id': peerIdOf(1), ip: Buffer.from('127.0.0.1'), port: 6001 });
    const without = await announce({ infoHash, peer: 2, compact: 0, extra: 'no_peer_id=1' });
    expect((without.body.get('peers') as BDict[])[0].has('peer id')).toBe(false);
  });

  it('keeps IPv6 peers in peers6 (BEP 7) and IPv4 in peers', async () => {
    const infoHash = randomBytes(20);
    await announce({ infoHash, peer: 1 }, 6);
    await announce({ infoHash, peer: 2 }, 4);
    const fromV4 = await announce({ infoHash, peer: 3 }, 4);
    expect(compactPeers(fromV4.body.get('peers'), 6)).toEqual([{ ip: '127.0.0.1', port: 6002 }]);
    expect(compactPeers(fromV4.body.get('peers6'), 18)).toEqual([{ ip: '::1', port: 6001 }]);
    const dictionary = await announce({ infoHash, peer: 4, compact: 0 }, 6);
    expect((dictionary.body.get('peers') as BDict[]).map((peer) => String(peer.get('ip'))).sort()).toEqual(['127.0.0.1', '127.0.0.1', '::1']);
  });

  it('counts completions once, forgets stopped peers, and scrapes (BEP 48)', async () => {
    const infoHash = randomBytes(20);
    const other = randomBytes(20);
    await announce({ infoHash, peer: 1, event: 'started' });
    await announce({ infoHash, peer: 2, event: 'started' });
    await announce({ infoHash, peer: 1, event: 'completed', left: 0 });
    await announce({ infoHash, peer: 1, event: 'completed', left: 0 });
    await announce({ infoHash, peer: 2, event: 'stopped' });
    const scrape = await httpGet(`${baseUrl(tracker)}/scrape?info_hash=${escapeBytes(infoHash)}&info_hash=${escapeBytes(other)}`);
    expect(scrape.status).toBe(200);
    const files = scrape.body.get('files') as BDict;
    expect(Object.fromEntries(files.get(infoHash.toString('latin1')) as BDict)).toEqual({ complete: 1, downloaded: 1, incomplete: 0 });
    expect(Object.fromEntries(files.get(other.toString('latin1')) as BDict)).toEqual({ complete: 0, downloaded: 0, incomplete: 0 });
  });

  it('caps numwant and applies the default', async () => {
    const infoHash = randomBytes(20);
    for (let peer = 1; peer <= 8; peer++) await announce({ infoHash, peer });
    expect(compactPeers((await announce({ infoHash, peer: 9, numwant: 1000 })).body.get('peers'), 6)).toHaveLength(5);
    expect(compactPeers((await announce({ infoHash, peer: 10 })).body.get('peers'), 6)).toHaveLength(3);
    expect(compactPeers((await announce({ infoHash, peer: 11, numwant: 0 })).body.get('peers'), 6)).toHaveLength(0);
  });

  it('ignores ip= and X-Forwarded-For from untrusted clients and believes a trusted proxy', async () => {
    const infoHash = randomBytes(20);
    await announce({ infoHash, peer: 1, extra: 'ip=203.0.113.5' }, 4, { 'x-forwarded-for': '203.0.113.6' });
    const seen = await announce({ infoHash, peer: 2, compact: 0 });
    expect((seen.body.get('peers') as BDict[]).map((peer) => String(peer.get('ip')))).toEqual(['127.0.0.1']);
    // The trusted proxy is 127.0.0.2, a loopback address the request is sent from.
    const viaProxy = await getFrom('127.0.0.2', `http://127.0.0.1:${tracker.http.port}/announce?${announceQuery({ infoHash, peer: 3 })}`, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    expect(viaProxy).toBe(200);
    const after = await announce({ infoHash, peer: 4, compact: 0 });
    expect((after.body.get('peers') as BDict[]).map((peer) => String(peer.get('ip'))).sort()).toEqual(['127.0.0.1', '127.0.0.1', '203.0.113.7']);
  });

  it.each([
    ['no info_hash', '/announce?peer_id=x&port=1&left=0', 400],
    ['a short info_hash', `/announce?${announceQuery({ infoHash: Buffer.alloc(19), peer: 1 })}`, 400],
    ['a bad escape', '/announce?info_hash=%zz', 400],
    ['port 0', `/announce?${announceQuery({ infoHash: Buffer.alloc(20), peer: 1, port: 0 })}`, 400],
    ['an unknown event', `/announce?${announceQuery({ infoHash: Buffer.alloc(20), peer: 1, event: 'done' })}`, 400],
    ['a full scrape', '/scrape', 400],
    ['a short scrape hash', '/scrape?info_hash=abc', 400],
    ['too many scrape hashes', `/scrape?${Array.from({ length: 65 }, () => `info_hash=${escapeBytes(randomBytes(20))}`).join('&')}`, 414],
    ['a very long URL', `/announce?x=${'a'.repeat(9000)}`, 414],
    ['an unknown path', '/announce/x/y', 404],
  ])('refuses %s with a 4xx and a bencoded failure reason', async (_, path, status) => {
    const reply = await httpGet(`${baseUrl(tracker)}${path}`);
    expect(reply.status).toBe(status);
    expect(String(reply.body.get('failure reason')).length).toBeGreaterThan(5);
  });

  it('forgets peers that stop announcing (TTL expiry in Redis)', async () => {
    const prefixShort = uniquePrefix('tracker-http-expiry');
    const shortLived = await startTracker({ keyPrefix: prefixShort, peerTtlMs: 300, tracker: { minIntervalSeconds: 0 } });
    try {
      const infoHash = randomBytes(20);
      const url = (peer: number) => `${baseUrl(shortLived)}/announce?${announceQuery({ infoHash, peer })}`;
      await httpGet(url(1));
      expect((await httpGet(url(2))).body.get('incomplete')).toBe(2);
      const scrapeUrl = `${baseUrl(shortLived)}/scrape?info_hash=${escapeBytes(infoHash)}`;
      const counts = (reply: { body: BDict }) => ((reply.body.get('files') as BDict).get(infoHash.toString('latin1')) as BDict).get('incomplete');
      await eventually(() => httpGet(scrapeUrl), (reply) => counts(reply) === 0);
      const fresh = await httpGet(url(3));
      expect(fresh.body.get('incomplete')).toBe(1);
      expect(fresh.body.get('peers')).toEqual(Buffer.alloc(0));
      await eventually(() => shortLived.redis.keys(`${prefixShort}swarm:*`), (keys) => keys.length === 0);
    } finally {
      await shortLived.stop();
      await cleanupPrefix(prefixShort);
    }
  });
});

describe('HTTP tracker limits', () => {
  const prefix = uniquePrefix('tracker-http-limits');
  let tracker: TrackerUnderTest;
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, tracker: { minIntervalSeconds: 60 } });
  });
  afterAll(async () => {
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  it('answers a too-early announce from cache: no Redis round trip, same answer', async () => {
    const infoHash = randomBytes(20);
    const url = (peer: number) => `${baseUrl(tracker)}/announce?${announceQuery({ infoHash, peer })}`;
    await httpGet(url(1));
    const first = await httpGet(url(2));
    const roundTrips = tracker.store.roundTrips;
    await httpGet(url(3));
    expect(tracker.store.roundTrips).toBe(roundTrips + 1);
    const again = await httpGet(url(2));
    expect(tracker.store.roundTrips).toBe(roundTrips + 1);
    expect(again.body).toEqual(first.body);
    expect(again.body.get('incomplete')).toBe(2);
    // An event is never answered from cache.
    const stopped = await httpGet(`${url(2)}&event=stopped`);
    expect(tracker.store.roundTrips).toBe(roundTrips + 2);
    expect(stopped.body.get('incomplete')).toBe(2);
  });

  it('uses exactly one Redis round trip per fresh announce and per scrape', async () => {
    const infoHash = randomBytes(20);
    await httpGet(`${baseUrl(tracker)}/announce?${announceQuery({ infoHash, peer: 1 })}`);
    const before = tracker.store.roundTrips;
    for (let peer = 2; peer <= 11; peer++) await httpGet(`${baseUrl(tracker)}/announce?${announceQuery({ infoHash, peer })}`);
    await httpGet(`${baseUrl(tracker)}/scrape?info_hash=${escapeBytes(infoHash)}`);
    expect(tracker.store.roundTrips - before).toBe(11);
  });
});

describe('HTTP tracker, private mode (passkeys)', () => {
  const prefix = uniquePrefix('tracker-http-private');
  let tracker: TrackerUnderTest;
  const known = randomBytes(20);
  beforeAll(async () => {
    tracker = await startTracker({ keyPrefix: prefix, tracker: { access: { kind: 'private' }, minIntervalSeconds: 0 } });
    await tracker.store.registerInfoHash(known);
    await tracker.store.registerPasskey('passkey-zone-a-1', { zone: 'a', region: 'r' });
    await tracker.store.registerPasskey('passkey-zone-a-2', { zone: 'a', region: 'r' });
    await tracker.store.registerPasskey('passkey-zone-b-1', { zone: 'b', region: 'r' });
    await tracker.store.registerPasskey('passkey-elsewhere', { zone: 'c', region: 'q' });
  });
  afterAll(async () => {
    await tracker.stop();
    await cleanupPrefix(prefix);
  });

  const announce = (passkey: string | undefined, parameters: Parameters<typeof announceQuery>[0]) =>
    httpGet(`${baseUrl(tracker)}/announce${passkey === undefined ? '' : `/${passkey}`}?${announceQuery(parameters)}`);

  it('refuses a missing passkey, an unknown one, and an unregistered torrent with a failure reason', async () => {
    expect(String((await announce(undefined, { infoHash: known, peer: 1 })).body.get('failure reason'))).toMatch(/private tracker/);
    expect(String((await announce('passkey-nobody-has', { infoHash: known, peer: 1 })).body.get('failure reason'))).toMatch(/unknown passkey/);
    expect(String((await announce('bad/../key', { infoHash: known, peer: 1 })).body.get('failure reason'))).toMatch(/no such tracker endpoint|unknown passkey/);
    expect(String((await announce('passkey-zone-a-1', { infoHash: randomBytes(20), peer: 1 })).body.get('failure reason'))).toMatch(/unregistered torrent/);
    const scrape = await httpGet(`${baseUrl(tracker)}/scrape?info_hash=${escapeBytes(known)}`);
    expect(String(scrape.body.get('failure reason'))).toMatch(/private tracker/);
  });

  it('prefers peers of the same zone, then region, then seeders', async () => {
    await announce('passkey-elsewhere', { infoHash: known, peer: 1, left: 0 });
    await announce('passkey-zone-b-1', { infoHash: known, peer: 2 });
    await announce('passkey-zone-a-2', { infoHash: known, peer: 3 });
    const reply = await announce('passkey-zone-a-1', { infoHash: known, peer: 4, numwant: 3 });
    expect(compactPeers(reply.body.get('peers'), 6).map((peer) => peer.port)).toEqual([6003, 6002, 6001]);
    const scrape = await httpGet(`${baseUrl(tracker)}/scrape/passkey-zone-a-1?info_hash=${escapeBytes(known)}&info_hash=${escapeBytes(randomBytes(20))}`);
    const files = scrape.body.get('files') as BDict;
    expect([...files.keys()]).toEqual([known.toString('latin1')]);
    expect(Object.fromEntries(files.get(known.toString('latin1')) as BDict)).toEqual({ complete: 1, downloaded: 0, incomplete: 3 });
  });
});
