import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type TempDir, waitFor } from '@seedfleet/testing';
import { loadSignerFromFile, ObjectStoreMetadataStore, parseReleaseTargetCustom, TrustClient, TrustError, TufRepository } from '@seedfleet/trust';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { TrustService } from '../../apps/publisher/src/trust/trust.service';
import { readObject, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(120_000);

const FILES: Record<string, Buffer> = {
  'bin/app': deterministicBytes(120 * 1024 + 5, 'tuf-app'),
  'share/readme.txt': Buffer.from('signed release\n'),
};

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('publisher TUF repository (real Redis, fs storage, tuf-js client)', () => {
  let publisher: PublisherUnderTest;
  let temp: TempDir;
  let trustedRoot: Buffer;
  let clients = 0;

  const newClient = (): TrustClient =>
    new TrustClient({ metadataBaseUrl: `${publisher.base}/tuf`, targetsBaseUrl: `${publisher.base}/tuf/targets`, trustedRoot, cacheDir: join(temp.path, `cache-${++clients}`), fetchRetries: 0 });

  /** A client that has verified metadata listing `name` (the build worker adds targets right after `ready`). */
  const clientSeeing = (name: string): Promise<TrustClient> =>
    waitFor(
      `TUF target ${name}`,
      async () => {
        const client = newClient();
        await client.refresh();
        return (await client.listTargets()).some((target) => target.name === name) ? client : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

  async function publishRelease(version: string): Promise<Release> {
    const created = await publisher.api('POST', '/api/releases', { body: { product: 'tuf-app', version, channel: 'beta' } });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    for (const [path, bytes] of Object.entries(FILES)) expect((await publisher.api('PUT', `/api/releases/${id}/files/${path}`, { raw: bytes })).status).toBe(201);
    expect((await publisher.api('POST', `/api/releases/${id}/build`)).status).toBe(202);
    return publisher.waitForRelease(id, (release) => release.status === 'ready');
  }

  beforeAll(async () => {
    temp = await createTempDir('sf-trust-e2e-');
    publisher = await startPublisher();
    expect((await publisher.api('POST', '/api/products', { body: { name: 'tuf-app' } })).status).toBe(201);
    const root = await fetch(`${publisher.base}/tuf/root.json`);
    expect(root.status).toBe(200);
    expect(root.headers.get('cache-control')).toBe('no-cache');
    trustedRoot = Buffer.from(await root.arrayBuffer());
  });

  afterAll(async () => {
    await publisher?.close();
    await temp?.remove();
  });

  it('generates development keys (0600 in a 0700 directory) and serves root v1 under both names', async () => {
    const keysDir = join(publisher.config.dataDir, 'keys');
    expect((await stat(keysDir)).mode & 0o777).toBe(0o700);
    for (const name of ['root-1.pem', 'targets.pem', 'snapshot.pem', 'timestamp.pem']) expect((await stat(join(keysDir, name))).mode & 0o777).toBe(0o600);
    const v1 = await fetch(`${publisher.base}/tuf/1.root.json`);
    expect(v1.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await v1.arrayBuffer()).equals(trustedRoot)).toBe(true);
    expect(await (await fetch(`${publisher.base}/tuf/2.root.json`)).json()).toMatchObject({ statusCode: 404 });
    expect((await fetch(`${publisher.base}/tuf/..%2Fmeta.json`)).status).toBe(404);
    expect((await fetch(`${publisher.base}/tuf/targets/..%2F..%2Fmeta%2Freleases%2Fx.json`)).status).toBe(404);
  });

  it('signs a built release: tuf-js verifies and downloads its .torrent and manifest, custom fields match', async () => {
    const release = await publishRelease('1.0.0');
    const client = await clientSeeing('tuf-app/1.0.0/release.torrent');
    const torrentInfo = await client.targetInfo('tuf-app/1.0.0/release.torrent');
    const custom = parseReleaseTargetCustom(torrentInfo.custom, torrentInfo.name);
    expect(custom).toEqual({
      product: 'tuf-app',
      version: '1.0.0',
      channel: 'beta',
      infoHashV1: release.infoHashV1,
      infoHashV2: release.infoHashV2,
      files: Object.entries(FILES)
        .map(([path, bytes]) => ({ path, sha256: sha256(bytes), size: bytes.length }))
        .sort((a, b) => (a.path < b.path ? -1 : 1)),
    });
    expect((await client.targetInfo('tuf-app/1.0.0/manifest.json')).custom).toEqual(torrentInfo.custom);

    const torrentPath = join(temp.path, 'release.torrent');
    await client.downloadTarget('tuf-app/1.0.0/release.torrent', torrentPath);
    const downloaded = await readFile(torrentPath);
    expect(downloaded.equals(await readObject(publisher.store, `releases/${release.id}/release.torrent`))).toBe(true);
    const metainfo = parseTorrent(downloaded);
    expect(metainfo.infoHashV1?.toString('hex')).toBe(custom.infoHashV1);
    expect(metainfo.infoHashV2?.toString('hex')).toBe(custom.infoHashV2);

    const manifestPath = join(temp.path, 'manifest.json');
    await client.downloadTarget('tuf-app/1.0.0/manifest.json', manifestPath);
    const servedManifest = Buffer.from(await (await fetch(`${publisher.base}/api/releases/${release.id}/manifest`)).arrayBuffer());
    expect((await readFile(manifestPath)).equals(servedManifest)).toBe(true);

    const timestamp = await fetch(`${publisher.base}/tuf/timestamp.json`);
    expect(timestamp.headers.get('cache-control')).toBe('no-cache');
    const target = await fetch(`${publisher.base}/tuf/targets/tuf-app/1.0.0/${torrentInfo.sha256}.release.torrent`);
    expect(target.headers.get('content-type')).toBe('application/x-bittorrent');
    expect(target.headers.get('cache-control')).toContain('immutable');

    // A second build request and the reconciler leave the signed targets as they are.
    const before = await publisher.app.get(TrustService).status();
    expect((await publisher.api('POST', `/api/releases/${release.id}/build`)).status).toBe(202);
    await publisher.app.get(TrustService).reconcile();
    expect((await publisher.app.get(TrustService).status()).targets.version).toBe(before.targets.version);
  });

  it('refuses tampered metadata (bad signature) and tampered target bytes (hash mismatch)', async () => {
    await publishRelease('1.1.0');
    const verified = await clientSeeing('tuf-app/1.1.0/release.torrent');
    const info = await verified.targetInfo('tuf-app/1.1.0/release.torrent');

    const timestampKey = 'tuf/metadata/timestamp.json';
    const original = await readObject(publisher.store, timestampKey);
    const forged = JSON.parse(original.toString('utf8')) as { signed: { expires: string } };
    forged.signed.expires = '2999-01-01T00:00:00Z';
    await publisher.store.put(timestampKey, Buffer.from(JSON.stringify(forged)));
    try {
      await expect(newClient().refresh()).rejects.toMatchObject({ name: 'TrustError', code: 'bad-signature' });
    } finally {
      await publisher.store.put(timestampKey, original);
    }

    const targetKey = `tuf/targets/tuf-app/1.1.0/${info.sha256}.release.torrent`;
    const bytes = await readObject(publisher.store, targetKey);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length >> 1] ^= 0xff;
    await publisher.store.put(targetKey, damaged);
    const destination = join(temp.path, 'tampered.torrent');
    try {
      const client = newClient();
      await client.refresh();
      const failure = await client.downloadTarget(info.name, destination).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TrustError);
      expect(failure).toMatchObject({ code: 'hash-mismatch' });
      await expect(stat(destination)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await publisher.store.put(targetKey, bytes);
    }
  });

  it('refuses a rolled-back timestamp (an older, validly signed one) to a client that saw a newer one', async () => {
    const timestampKey = 'tuf/metadata/timestamp.json';
    const older = await readObject(publisher.store, timestampKey);
    await publishRelease('1.2.0');
    const client = await clientSeeing('tuf-app/1.2.0/release.torrent');
    const newer = await readObject(publisher.store, timestampKey);
    await publisher.store.put(timestampKey, older);
    try {
      await expect(client.refresh()).rejects.toMatchObject({ name: 'TrustError', code: 'rollback' });
      await expect(client.targetInfo('tuf-app/1.2.0/release.torrent')).rejects.toMatchObject({ code: 'repository-state' });
    } finally {
      await publisher.store.put(timestampKey, newer);
    }
    await client.refresh();
    expect((await client.targetInfo('tuf-app/1.2.0/release.torrent')).name).toBe('tuf-app/1.2.0/release.torrent');
  });

  it('an expired timestamp is refused until the scheduled refresh re-signs it', async () => {
    // Out of band, with the publisher's own online keys and a clock three days behind: what clients see
    // when a publisher has not re-signed for days.
    const keysDir = join(publisher.config.dataDir, 'keys');
    const signer = (name: string) => loadSignerFromFile(join(keysDir, name));
    const signers = { targets: [await signer('targets.pem')], snapshot: [await signer('snapshot.pem')], timestamp: [await signer('timestamp.pem')] };
    const store = new ObjectStoreMetadataStore(publisher.store, { prefix: 'tuf/metadata/' });
    const stale = await TufRepository.open({ store, signers, now: () => new Date(Date.now() - 3 * 86_400_000) });
    await stale.republish();
    await expect(newClient().refresh()).rejects.toMatchObject({ name: 'TrustError', code: 'expired' });

    const { refreshed } = await publisher.app.get(TrustService).refresh();
    expect(refreshed).toEqual(['timestamp']);
    const client = newClient();
    await client.refresh();
    expect((await client.listTargets()).map((target) => target.name)).toContain('tuf-app/1.0.0/release.torrent');
    expect((await publisher.app.get(TrustService).refresh()).refreshed).toEqual([]);
  });

  it('retiring a release removes its targets; clients then refuse it as not signed', async () => {
    const release = await publishRelease('2.0.0');
    const client = await clientSeeing('tuf-app/2.0.0/manifest.json');
    expect((await publisher.api('POST', `/api/releases/${release.id}/retire`)).status).toBe(200);
    await client.refresh();
    const names = (await client.listTargets()).map((target) => target.name);
    expect(names).not.toContain('tuf-app/2.0.0/release.torrent');
    expect(names).not.toContain('tuf-app/2.0.0/manifest.json');
    expect(names).toContain('tuf-app/1.0.0/release.torrent');
    await expect(client.targetInfo('tuf-app/2.0.0/release.torrent')).rejects.toMatchObject({ code: 'not-found' });
  });
});
