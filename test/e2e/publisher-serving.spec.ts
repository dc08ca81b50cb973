import { request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';
import { parseTorrent } from '@seedfleet/metainfo';
import { type GetResult, type ObjectStore, StorageError } from '@seedfleet/storage';
import { deterministicBytes, waitFor } from '@seedfleet/testing';
import type { Release, StoredRelease } from '../../apps/publisher/src/releases/release.model';
import { releaseKeys } from '../../apps/publisher/src/releases/release.model';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';
import { fetchAllPiecesWithOurWebSeed, publishRelease, rawRequest, webSeedPath } from './publisher-serving.fixture';

jest.setTimeout(120_000);

const APP = deterministicBytes(300_000, 'serving-app');
const FILES: Record<string, Buffer> = {
  'bin/app': APP,
  'docs/read me.txt': Buffer.from('hello from the web seed\n'),
  'lib/data.bin': deterministicBytes(70_000, 'serving-data'),
};
const SINGLE = deterministicBytes(50_000, 'serving-single');
const BIG = deterministicBytes(16 * 1024 * 1024, 'serving-big');

describe('publisher web seed and downloads (real Redis, fs storage)', () => {
  let publisher: PublisherUnderTest;
  let release: Release;
  let single: Release;
  let big: Release;
  /** Bodies handed out by the store's get(), to see that an abandoned response stops the storage read. */
  const bodies: { key: string; body: Readable }[] = [];
  /** Keys whose reads fail as an unreachable store would. */
  const unavailable = new Set<string>();

  beforeAll(async () => {
    const record = (store: ObjectStore): ObjectStore => ({
      put: (key, body, options) => store.put(key, body, options),
      get: async (key, range): Promise<GetResult> => {
        if (unavailable.has(key)) throw new StorageError('unavailable', `${key}: connection refused`, key);
        const result = await store.get(key, range);
        bodies.push({ key, body: result.body });
        return result;
      },
      head: (key) => store.head(key),
      list: (prefix) => store.list(prefix),
      delete: (key) => store.delete(key),
      presignGet: (key, options) => store.presignGet(key, options),
      describe: () => store.describe(),
      close: () => store.close(),
    });
    publisher = await startPublisher({ ORIGIN_SEEDER: 'off' }, { wrapObjectStore: record });
    release = await publishRelease(publisher, 'serve-app', '1.0.0', FILES);
    single = await publishRelease(publisher, 'serve-app', '1.0.1', { 'only.bin': SINGLE });
    big = await publishRelease(publisher, 'serve-app', '2.0.0', { 'big.bin': BIG });
  });

  afterAll(async () => {
    await publisher?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(publisher.base, 'GET', path, headers);

  describe('Range semantics', () => {
    const path = () => webSeedPath(release, 'bin/app');

    it.each<[string, string | undefined, number, string | undefined, [number, number]]>([
      ['no Range: whole file', undefined, 200, undefined, [0, 300_000]],
      ['first byte', 'bytes=0-0', 206, 'bytes 0-0/300000', [0, 1]],
      ['last byte', 'bytes=299999-299999', 206, 'bytes 299999-299999/300000', [299_999, 300_000]],
      ['a middle range', 'bytes=1000-65535', 206, 'bytes 1000-65535/300000', [1000, 65_536]],
      ['open-ended', 'bytes=250000-', 206, 'bytes 250000-299999/300000', [250_000, 300_000]],
      ['suffix', 'bytes=-100', 206, 'bytes 299900-299999/300000', [299_900, 300_000]],
      ['suffix longer than the file', 'bytes=-999999', 206, 'bytes 0-299999/300000', [0, 300_000]],
      ['end past the file is clamped', 'bytes=299990-400000', 206, 'bytes 299990-299999/300000', [299_990, 300_000]],
      ['several ranges: the first one, single part', 'bytes=10-19, 100-199', 206, 'bytes 10-19/300000', [10, 20]],
      ['malformed Range is ignored', 'bytes=9-1', 200, undefined, [0, 300_000]],
    ])('%s', async (_name, range, status, contentRange, [start, end]) => {
      const response = await get(path(), range === undefined ? {} : { range });
      expect(response.status).toBe(status);
      expect(response.headers['content-range']).toBe(contentRange);
      expect(response.headers['accept-ranges']).toBe('bytes');
      expect(response.headers['content-length']).toBe(String(end - start));
      expect(response.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
      expect(response.headers['last-modified']).toBeDefined();
      expect(response.body.equals(APP.subarray(start, end))).toBe(true);
    });

    it.each(['bytes=300000-', 'bytes=400000-500000', 'bytes=-0'])('%s is unsatisfiable: 416 with Content-Range */size', async (range) => {
      const response = await get(path(), { range });
      expect(response.status).toBe(416);
      expect(response.headers['content-range']).toBe('bytes */300000');
      expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 416 });
    });

    it('HEAD answers the headers without a body, with and without Range', async () => {
      const whole = await rawRequest(publisher.base, 'HEAD', path());
      expect(whole.status).toBe(200);
      expect(whole.headers['content-length']).toBe('300000');
      expect(whole.body).toHaveLength(0);
      const part = await rawRequest(publisher.base, 'HEAD', path(), { range: 'bytes=5-9' });
      expect(part.status).toBe(206);
      expect(part.headers['content-range']).toBe('bytes 5-9/300000');
      expect(part.body).toHaveLength(0);
    });

    it('honours If-None-Match (304) and If-Range (a stale validator gets the whole file)', async () => {
      const { headers } = await get(path(), { range: 'bytes=0-0' });
      const etag = headers.etag as string;
      expect((await get(path(), { 'if-none-match': etag })).status).toBe(304);
      const same = await get(path(), { range: 'bytes=0-9', 'if-range': etag });
      expect(same.status).toBe(206);
      const stale = await get(path(), { range: 'bytes=0-9', 'if-range': '"0000"' });
      expect(stale.status).toBe(200);
      expect(stale.body.equals(APP)).toBe(true);
    });
  });

  describe('which URLs name a file', () => {
    it('serves every release file under <name>/<path> with components percent-encoded', async () => {
      for (const [path, bytes] of Object.entries(FILES)) {
        const response = await get(webSeedPath(release, path));
        expect(response.status).toBe(200);
        expect(response.body.equals(bytes)).toBe(true);
      }
    });

    it('serves a one-file release both as <name> (BEP 19 single-file form) and <name>/<path>', async () => {
      for (const path of [webSeedPath(single), webSeedPath(single, 'only.bin')]) {
        const response = await get(path, { range: 'bytes=100-199' });
        expect(response.status).toBe(206);
        expect(response.body.equals(SINGLE.subarray(100, 200))).toBe(true);
      }
    });

    it.each([
      ['an unknown file', (r: Release) => webSeedPath(r, 'bin/nope')],
      ['a directory', (r: Release) => webSeedPath(r, 'bin')],
      ['the torrent name alone of a multi-file release', (r: Release) => webSeedPath(r)],
      ['another torrent name', (r: Release) => `/webseed/${r.id}/other-1.0/bin/app`],
      ['an unknown release', () => '/webseed/rel_00000000000000000000000000/x/bin/app'],
      ['a malformed release id', () => '/webseed/..%2F..%2Fmeta/x/bin/app'],
      ['a trailing slash', (r: Release) => `${webSeedPath(r, 'bin/app')}/`],
      ['a double slash', (r: Release) => webSeedPath(r, 'bin/app').replace('/bin/', '//bin/')],
      ['.. segments', (r: Release) => `${webSeedPath(r)}/../../../meta/releases/${r.id}.json`],
      ['encoded .. segments', (r: Release) => `${webSeedPath(r)}/%2e%2e/%2e%2e/%2e%2e/meta/releases/${r.id}.json`],
      ['encoded slashes', (r: Release) => `${webSeedPath(r)}/..%2F..%2F..%2Fmeta%2Freleases%2F${r.id}.json`],
      ['the release record key', (r: Release) => `/webseed/${r.id}/${encodeURIComponent(r.torrentName)}/${encodeURIComponent(releaseKeys.record(r.id))}`],
      ['an absolute path', (r: Release) => `${webSeedPath(r)}/%2Fetc%2Fpasswd`],
      ['the torrent itself', (r: Release) => `${webSeedPath(r)}/release.torrent`],
    ])('404 for %s, with a JSON error', async (_name, path) => {
      const response = await get(path(release));
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });

    it('bad percent-encoding is a 400 JSON error (the router refuses to decode it)', async () => {
      const response = await get(`${webSeedPath(release)}/bin/%zz`);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 400 });
    });

    it('a release that is not built yet has no web seed (404)', async () => {
      const created = await publisher.api('POST', '/api/releases', { body: { product: 'serve-app', version: '9.9.9' } });
      const pending = created.json as unknown as StoredRelease;
      expect((await get(`/webseed/${pending.id}/${pending.torrentName}`)).status).toBe(404);
    });
  });

  it("our engine's web-seed client fetches every piece of a multi-file release (one range request per file)", async () => {
    const torrent = await get(`/api/releases/${release.id}/torrent`);
    const result = await fetchAllPiecesWithOurWebSeed(torrent.body);
    expect(result).toMatchObject({ bad: [], undelivered: [], error: undefined, redirects: 0 });
    expect(result.requests).toBe(Object.keys(FILES).length);
  });

  it('storage trouble is a 503 with Retry-After (web-seed clients back off), never a hang', async () => {
    const key = releaseKeys.file(release.id, 'lib/data.bin');
    unavailable.add(key);
    try {
      const response = await get(webSeedPath(release, 'lib/data.bin'), { range: 'bytes=0-99' });
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(JSON.parse(response.body.toString())).toMatchObject({ statusCode: 503 });
    } finally {
      unavailable.delete(key);
    }
    expect((await get(webSeedPath(release, 'lib/data.bin'), { range: 'bytes=0-99' })).status).toBe(206);
  });

  it('a client that goes away mid-body stops the storage read (no leak)', async () => {
    const key = releaseKeys.file(big.id, 'big.bin');
    const before = bodies.length;
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${publisher.base}${webSeedPath(big, 'big.bin')}`, (response) => {
        expect(response.statusCode).toBe(200);
        // One chunk, then hang up while the server still has megabytes to send.
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      request.end();
    });
    const read = await waitFor('the storage read of big.bin', async () => bodies.slice(before).find((entry) => entry.key === key), { timeoutMs: 10_000, intervalMs: 20 });
    await waitFor('the storage body to be destroyed', async () => (read.body.destroyed ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    expect(read.body.readableEnded).toBe(false);
  });

  describe('downloads', () => {
    it('GET /torrent without a passkey: the exact bytes the build stored', async () => {
      const response = await get(`/api/releases/${release.id}/torrent`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-bittorrent');
      const stored = await publisher.store.get(releaseKeys.torrent(release.id));
      const chunks: Buffer[] = [];
      for await (const chunk of stored.body) chunks.push(chunk as Buffer);
      expect(response.body.equals(Buffer.concat(chunks))).toBe(true);
      expect(parseTorrent(response.body).announce).toEqual([[`${publisher.config.publicUrl}/announce/{passkey}`]]);
    });

    it.each([
      ['?passkey=', (id: string, key: string) => get(`/api/releases/${id}/torrent?passkey=${key}`)],
      ['X-Seedfleet-Passkey', (id: string, key: string) => get(`/api/releases/${id}/torrent`, { 'x-seedfleet-passkey': key })],
    ])('GET /torrent with %s puts the passkey into announce, info hashes unchanged', async (_how, fetchTorrent) => {
      const response = await fetchTorrent(release.id, 'agent-key_0123456789');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('private, no-store');
      const metainfo = parseTorrent(response.body);
      expect(metainfo.announce).toEqual([[`${publisher.config.publicUrl}/announce/agent-key_0123456789`]]);
      expect(metainfo.infoHashV1!.toString('hex')).toBe(release.infoHashV1);
      expect(metainfo.infoHashV2!.toString('hex')).toBe(release.infoHashV2);
      expect(metainfo.urlList).toEqual([`${publisher.config.publicUrl}/webseed/${release.id}/`]);
      expect(metainfo.private).toBe(true);
    });

    it.each(['short', 'with%20space', 'a/b', '%7Bpasskey%7D'])('refuses the passkey %p (400 JSON)', async (passkey) => {
      const response = await get(`/api/releases/${release.id}/torrent?passkey=${passkey}`);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body.toString()).message).toMatch(/passkey/);
    });

    it('GET /magnet: btih, btmh, name, tracker with the passkey, web seed', async () => {
      const response = await get(`/api/releases/${release.id}/magnet?passkey=agent-key_0123456789`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const magnet = new URL(response.body.toString().trim());
      expect(magnet.searchParams.getAll('xt')).toEqual([`urn:btih:${release.infoHashV1}`, `urn:btmh:1220${release.infoHashV2}`]);
      expect(magnet.searchParams.get('dn')).toBe(release.torrentName);
      expect(magnet.searchParams.getAll('tr')).toEqual([`${publisher.config.publicUrl}/announce/agent-key_0123456789`]);
      expect(magnet.searchParams.getAll('ws')).toEqual([`${publisher.config.publicUrl}/webseed/${release.id}/`]);
      // Without a passkey a private release's placeholder tracker is left out rather than sent unusable.
      const anonymous = new URL((await get(`/api/releases/${release.id}/magnet`)).body.toString().trim());
      expect(anonymous.searchParams.getAll('tr')).toEqual([]);
    });

    it('GET /manifest: the build manifest as JSON', async () => {
      const response = await get(`/api/releases/${release.id}/manifest`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const manifest = JSON.parse(response.body.toString());
      expect(manifest).toMatchObject({ product: 'serve-app', version: '1.0.0', releaseId: release.id, infoHashV1: release.infoHashV1, infoHashV2: release.infoHashV2 });
      expect(manifest.files.map((file: { path: string }) => file.path).sort()).toEqual(Object.keys(FILES).sort());
    });

    it('404 for an unknown release, 409 while not ready', async () => {
      for (const what of ['torrent', 'magnet', 'manifest']) {
        expect((await get(`/api/releases/rel_00000000000000000000000000/${what}`)).status).toBe(404);
        expect((await get(`/api/releases/nonsense/${what}`)).status).toBe(404);
      }
      const created = await publisher.api('POST', '/api/releases', { body: { product: 'serve-app', version: '9.9.8' } });
      const pending = created.json as unknown as StoredRelease;
      const response = await get(`/api/releases/${pending.id}/torrent`);
      expect(response.status).toBe(409);
      expect(JSON.parse(response.body.toString()).message).toMatch(/not ready/);
    });
  });

  it('a retired release answers 410 on the web seed and the downloads', async () => {
    expect((await publisher.api('POST', `/api/releases/${single.id}/retire`)).status).toBe(200);
    const gone = await waitFor('the web seed to see the retirement', async () => {
      const response = await get(webSeedPath(single, 'only.bin'));
      return response.status === 410 ? response : undefined;
    }, { timeoutMs: 10_000, intervalMs: 100 });
    expect(JSON.parse(gone.body.toString())).toMatchObject({ statusCode: 410, error: 'Gone' });
    expect((await get(`/api/releases/${single.id}/torrent`)).status).toBe(410);
  });
});
