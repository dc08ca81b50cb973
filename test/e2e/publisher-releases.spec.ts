import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { FS_INCOMING_DIR } from '@seedfleet/storage';
import { deterministicBytes, waitFor } from '@seedfleet/testing';
import type { Release, ReleaseManifest } from '../../apps/publisher/src/releases/release.model';
import { ReleaseRepository } from '../../apps/publisher/src/releases/release.repository';
import { locallyBuiltTorrent, readObject, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(120_000);

const FILES: Record<string, Buffer> = {
  'bin/app': deterministicBytes(300 * 1024 + 17, 'app'),
  'lib/data.bin': deterministicBytes(200 * 1024, 'data'),
  'README.txt': Buffer.from('seedfleet test release\n'),
};

/** A raw HTTP request, for URLs fetch would normalise (`..` segments) before sending. */
function rawPut(base: string, path: string, body: Buffer, token: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, method: 'PUT', path, headers: { authorization: `Bearer ${token}`, 'content-length': body.length } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('publisher release API (real Redis, fs storage)', () => {
  let publisher: PublisherUnderTest;

  beforeAll(async () => {
    publisher = await startPublisher({ MAX_UPLOAD_BYTES: '1MiB' });
    const created = await publisher.api('POST', '/api/products', { body: { name: 'demo-app' } });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await publisher?.close();
  });

  async function uploadRelease(version: string, extra: Record<string, unknown> = {}): Promise<Release> {
    const created = await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version, ...extra } });
    expect(created.status).toBe(201);
    const release = created.json as unknown as Release;
    expect(release.status).toBe('uploading');
    for (const [path, bytes] of Object.entries(FILES)) {
      // A JSON-looking Content-Type must not make the JSON parser take the file.
      const put = await publisher.api('PUT', `/api/releases/${release.id}/files/${path}`, { raw: bytes, headers: path === 'README.txt' ? { 'content-type': 'application/json' } : {} });
      expect(put.status).toBe(201);
      expect(put.json).toEqual({ path, size: bytes.length, sha256: sha256(bytes) });
    }
    return release;
  }

  it('uploads, builds and records a hybrid torrent, a manifest and the tracker registration', async () => {
    const release = await uploadRelease('1.0.0');
    const queued = await publisher.api('POST', `/api/releases/${release.id}/build`);
    expect(queued.status).toBe(202);
    expect(queued.json.status).toBe('queued');
    const late = await publisher.api('PUT', `/api/releases/${release.id}/files/late.bin`, { raw: Buffer.from('too late') });
    expect(late).toMatchObject({ status: 409, json: { statusCode: 409, message: expect.stringMatching(/only be uploaded while it is uploading/) } });
    const ready = await publisher.waitForRelease(release.id, (current) => current.status === 'ready');

    expect(ready.infoHashV1).toMatch(/^[0-9a-f]{40}$/);
    expect(ready.infoHashV2).toMatch(/^[0-9a-f]{64}$/);
    expect(ready.build).toMatchObject({ attempt: 1, phase: 'done', bytesDone: ready.build?.bytesTotal });
    expect(ready.magnet).toContain(`xt=urn:btih:${ready.infoHashV1}`);
    expect(ready.files.map((file) => file.path)).toEqual(['README.txt', 'bin/app', 'lib/data.bin']);
    expect(await publisher.keys(`releases/${release.id}/files/late.bin`)).toEqual([]);
    for (const file of ready.files) expect(file.sha256).toBe(sha256(FILES[file.path]));

    const torrent = await readObject(publisher.store, `releases/${release.id}/release.torrent`);
    const metainfo = parseTorrent(torrent);
    expect(metainfo.version).toBe('hybrid');
    expect(metainfo.private).toBe(true);
    expect(metainfo.infoHashV1?.toString('hex')).toBe(ready.infoHashV1);
    expect(metainfo.infoHashV2?.toString('hex')).toBe(ready.infoHashV2);
    expect(metainfo.name).toBe('demo-app-1.0.0');
    expect(metainfo.urlList).toEqual([`${publisher.base}/webseed/${release.id}/`]);
    expect(metainfo.announce).toEqual([[`${publisher.base}/announce/{passkey}`]]);
    const realFiles = metainfo.files.filter((file) => !file.pad).map((file) => [file.path.join('/'), file.length]);
    expect(realFiles.sort()).toEqual(Object.entries(FILES).map(([path, bytes]) => [path, bytes.length]).sort());
    // Every piece hash and merkle root over the uploaded bytes: the torrent equals one built locally.
    expect(torrent.equals(await locallyBuiltTorrent(publisher.base, ready, FILES))).toBe(true);

    const manifest = JSON.parse((await readObject(publisher.store, `releases/${release.id}/manifest.json`)).toString('utf8')) as ReleaseManifest;
    expect(manifest).toEqual({
      product: 'demo-app',
      version: '1.0.0',
      channel: 'stable',
      releaseId: release.id,
      infoHashV1: ready.infoHashV1,
      infoHashV2: ready.infoHashV2,
      name: 'demo-app-1.0.0',
      pieceLength: ready.pieceLength,
      files: ready.files,
      createdAt: ready.createdAt,
    });

    const registered = await publisher.redis.smembers(`${publisher.env.TRACKER_KEY_PREFIX}torrents`);
    expect(registered).toEqual(expect.arrayContaining([ready.infoHashV1, ready.infoHashV2!.slice(0, 40)]));
  });

  it('builds the same bytes again (idempotent build) and retiring makes the tracker forget the release', async () => {
    const release = await uploadRelease('1.1.0', { public: true });
    await publisher.api('POST', `/api/releases/${release.id}/build`);
    const first = await publisher.waitForRelease(release.id, (current) => current.status === 'ready');
    const firstTorrent = await readObject(publisher.store, `releases/${release.id}/release.torrent`);
    const firstManifest = await readObject(publisher.store, `releases/${release.id}/manifest.json`);
    expect(parseTorrent(firstTorrent).private).toBe(false);
    expect(parseTorrent(firstTorrent).announce).toEqual([[`${publisher.base}/announce`]]);
    // Any BitTorrent client may announce a public release without a passkey (public mirrors).
    expect(await announceWithoutPasskey(publisher.base, first.infoHashV1!)).not.toContain('failure reason');
    expect(await announceWithoutPasskey(publisher.base, first.infoHashV2!.slice(0, 40))).not.toContain('failure reason');

    // Remove the output and mark the build failed: the next build must rewrite exactly the same bytes.
    await publisher.store.delete(`releases/${release.id}/release.torrent`);
    await publisher.app.get(ReleaseRepository).update(release.id, (current) => ({ ...current, status: 'failed' }));
    const again = await publisher.api('POST', `/api/releases/${release.id}/build`);
    expect(again.status).toBe(202);
    const second = await publisher.waitForRelease(release.id, (current) => current.status === 'ready' && current.updatedAt > first.updatedAt);
    expect(second.infoHashV1).toBe(first.infoHashV1);
    expect((await readObject(publisher.store, `releases/${release.id}/release.torrent`)).equals(firstTorrent)).toBe(true);
    expect((await readObject(publisher.store, `releases/${release.id}/manifest.json`)).equals(firstManifest)).toBe(true);

    // Building a ready release again changes nothing.
    const repeat = await publisher.api('POST', `/api/releases/${release.id}/build`);
    expect(repeat).toMatchObject({ status: 202, json: { status: 'ready', infoHashV1: first.infoHashV1 } });

    const retired = await publisher.api('POST', `/api/releases/${release.id}/retire`);
    expect(retired).toMatchObject({ status: 200, json: { status: 'retired' } });
    const registered = await publisher.redis.smembers(`${publisher.env.TRACKER_KEY_PREFIX}torrents`);
    expect(registered).not.toContain(first.infoHashV1);
    expect(registered).not.toContain(first.infoHashV2!.slice(0, 40));
    expect(await announceWithoutPasskey(publisher.base, first.infoHashV1!)).toContain('passkey');
    const listed = await publisher.api('GET', '/api/releases?product=demo-app&status=retired');
    expect((listed.json.items as Release[]).map((item) => item.id)).toEqual([release.id]);
  });

  it('creates a release from existing objects under a prefix and builds it', async () => {
    for (const [path, bytes] of Object.entries(FILES)) await publisher.store.put(`incoming/demo-2.0/${path}`, bytes);
    const created = await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '2.0.0', channel: 'beta', source: { prefix: 'incoming/demo-2.0/' } } });
    expect(created.status).toBe(201);
    expect(created.json.status).toBe('queued');
    const ready = await publisher.waitForRelease(created.json.id as string, (current) => current.status === 'ready');
    expect(ready.channel).toBe('beta');
    expect(ready.files.map((file) => [file.path, file.sha256])).toEqual(Object.entries(FILES).map(([path, bytes]) => [path, sha256(bytes)]).sort());
    const byKeys = await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '2.0.1', source: { keys: ['incoming/demo-2.0/bin/app', 'incoming/demo-2.0/README.txt'] } } });
    expect(byKeys.status).toBe(201);
    expect((byKeys.json.files as { path: string }[]).map((file) => file.path)).toEqual(['README.txt', 'app']);
    await publisher.waitForRelease(byKeys.json.id as string, (current) => current.status === 'ready');
    const newestFirst = await publisher.api('GET', '/api/releases?product=demo-app&channel=stable');
    const ids = (newestFirst.json.items as Release[]).map((item) => item.id);
    expect(ids[0]).toBe(byKeys.json.id);
  });

  it('answers bad input with JSON 4xx errors and leaves nothing half-written in storage', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '3.0.0' } })).json as unknown as Release;
    const filesPrefix = `releases/${release.id}/`;
    const before = await publisher.keys(filesPrefix);
    const expectError = (response: { status: number; json: Record<string, unknown> }, status: number, message: RegExp) => {
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ statusCode: status, error: expect.any(String), message: expect.stringMatching(message) });
    };

    expectError(await publisher.api('POST', '/api/releases', { body: { product: 'no-such-app', version: '1.0.0' } }), 404, /product "no-such-app" does not exist/);
    expectError(await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '3.0.0' } }), 409, /already has version 3\.0\.0/);
    expectError(await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '../x' } }), 400, /^version: /);
    expectError(await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '3.0.1', channel: 'nightly' } }), 400, /no channel "nightly"/);
    expectError(await publisher.api('POST', '/api/products', { body: { name: 'demo-app' } }), 409, /already exists/);
    expectError(await publisher.api('POST', '/api/products', { body: { name: 'Bad Name' } }), 400, /^name: /);
    expectError(await publisher.api('POST', '/api/releases', { raw: '{"product":', headers: { 'content-type': 'application/json' } }), 400, /not valid JSON/);
    expectError(await publisher.api('POST', '/api/releases', { raw: JSON.stringify({ product: 'x'.repeat(2_000_000) }), headers: { 'content-type': 'application/json' } }), 413, /too large/);
    expectError(await publisher.api('GET', '/api/releases/rel_nope'), 404, /does not exist/);

    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/empty.bin`, { raw: Buffer.alloc(0) }), 400, /empty upload/);
    // fetch (WHATWG URL) would resolve these `..` segments before sending; a raw request keeps them.
    expectError(await rawPut(publisher.base, `/api/releases/${release.id}/files/%2E%2E/escape.bin`, Buffer.from('x'), publisher.env.SEEDFLEET_ADMIN_TOKEN), 400, /"\.\." segment/);
    expectError(await rawPut(publisher.base, `/api/releases/${release.id}/files/a/../../escape.bin`, Buffer.from('x'), publisher.env.SEEDFLEET_ADMIN_TOKEN), 400, /"\.\." segment/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/%2Fetc%2Fpasswd`, { raw: Buffer.from('x') }), 400, /is absolute/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/a%5Cb`, { raw: Buffer.from('x') }), 400, /backslash/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/a%00b`, { raw: Buffer.from('x') }), 400, /NUL/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/a%2F%2Fb`, { raw: Buffer.from('x') }), 400, /empty segment/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/big.bin`, { raw: Buffer.alloc(1024 * 1024 + 1, 7) }), 413, /MAX_UPLOAD_BYTES/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/app`, { raw: Buffer.from('x'), token: null }), 401, /admin token required/);
    expectError(await publisher.api('PUT', `/api/releases/${release.id}/files/app`, { raw: Buffer.from('x'), token: 'wrong-token-0123456789' }), 401, /invalid admin token/);
    expectError(await publisher.api('GET', '/api/releases', { token: null }), 401, /admin token required/);
    expectError(await publisher.api('POST', `/api/releases/${release.id}/build`), 400, /has no files/);

    expect(await publisher.keys(filesPrefix)).toEqual(before);
    expect(await publisher.keys('escape.bin')).toEqual([]);
    expect(incomingTempFiles(publisher)).toEqual([]);
    const record = (await publisher.api('GET', `/api/releases/${release.id}`)).json as unknown as Release;
    expect(record).toMatchObject({ status: 'uploading', files: [] });
  });

  it('refuses a chunked upload that grows past MAX_UPLOAD_BYTES and keeps nothing of it', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '3.1.0' } })).json as unknown as Release;
    const chunk = Buffer.alloc(256 * 1024, 1);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 8) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${publisher.base}/api/releases/${release.id}/files/big.bin`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${publisher.env.SEEDFLEET_ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ statusCode: 413, message: expect.stringMatching(/MAX_UPLOAD_BYTES/) });
    expect(await publisher.keys(`releases/${release.id}/`)).toEqual([]);
    expect(incomingTempFiles(publisher)).toEqual([]);
  });

  it('keeps nothing of an upload the client aborts halfway', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'demo-app', version: '3.2.0' } })).json as unknown as Release;
    const url = new URL(publisher.base);
    const request = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'PUT',
      path: `/api/releases/${release.id}/files/partial.bin`,
      headers: { authorization: `Bearer ${publisher.env.SEEDFLEET_ADMIN_TOKEN}`, 'content-length': 900 * 1024 },
    });
    request.on('error', () => undefined);
    request.write(Buffer.alloc(300 * 1024, 9));
    await waitFor('the upload to reach storage', async () => (incomingTempFiles(publisher).length > 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    request.destroy();
    await waitFor('the aborted upload to be cleaned up', async () => (incomingTempFiles(publisher).length === 0 ? true : undefined), { timeoutMs: 10_000, intervalMs: 20 });
    expect(await publisher.keys(`releases/${release.id}/`)).toEqual([]);
    expect((await publisher.api('GET', `/api/releases/${release.id}`)).json.files).toEqual([]);
  });

  it('publishes an OpenAPI document covering the release API', async () => {
    const response = await fetch(`${publisher.base}/api/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/products', '/api/releases', '/api/releases/{id}', '/api/releases/{id}/build', '/api/releases/{id}/retire']));
    expect(document.paths['/api/releases'].post).toBeDefined();
  });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The fs adapter's temp files of puts in progress: a failed upload must not leave one behind. */
function incomingTempFiles(publisher: PublisherUnderTest): string[] {
  const dir = join(publisher.config.dataDir, 'objects', FS_INCOMING_DIR);
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** A plain BEP 3 announce to the publisher's /announce (no passkey), as a mirror's client sends it; the bencoded reply as text. */
async function announceWithoutPasskey(base: string, infoHashHex: string): Promise<string> {
  const escape = (bytes: Buffer): string => [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  const query = `info_hash=${escape(Buffer.from(infoHashHex, 'hex'))}&peer_id=${escape(Buffer.alloc(20, 7))}&port=6881&uploaded=0&downloaded=0&left=0&compact=1&event=started`;
  const response = await fetch(`${base}/announce?${query}`);
  return Buffer.from(await response.arrayBuffer()).toString('latin1');
}
