import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BDict, decode, encode } from '@seedfleet/bencode';
import { parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type RunningS3rver, type ScriptedPeer, startLibtorrentPeer, startS3rver, type TempDir, waitFor } from '@seedfleet/testing';
import { OriginSeederService } from '../../apps/publisher/src/origin-seeder/origin-seeder.service';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { publishRelease, rawRequest } from '../e2e/publisher-serving.fixture';
import { startPublisher, type PublisherUnderTest } from '../e2e/publisher-support/harness';

// A standard client (libtorrent 2.0, its own process) given only the .torrent from the publisher's API
// downloads a release (a) from the web seed alone, with S3 (s3rver) behind the 302, and (b) from the
// origin seeder alone, reading the objects from S3 with ranged GETs. Every file is compared by SHA-256.
jest.setTimeout(180_000);

const FILES: Record<string, Buffer> = {
  'bin/app': deterministicBytes(5 * 1024 * 1024 + 12_345, 'lt-app'),
  'lib/libx.so': deterministicBytes(1024 * 1024 + 1, 'lt-lib'),
  'share/doc/read me.txt': Buffer.from('seedfleet interop release\n'),
};

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function s3Publisher(s3: RunningS3rver, env: Record<string, string>): Promise<PublisherUnderTest> {
  return startPublisher({
    STORAGE: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_REGION: s3.region,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    ...env,
  });
}

/** An agent's view: enroll, then download the release's .torrent with the passkey put in. */
async function agentTorrent(publisher: PublisherUnderTest, release: Release): Promise<{ torrent: Buffer; passkey: string }> {
  const token = await publisher.api('POST', '/api/enrollment-tokens', { body: {} });
  const enrolled = await publisher.api('POST', '/api/enroll', { body: { token: token.json.token }, token: null });
  const passkey = enrolled.json.passkey as string;
  const response = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent?passkey=${passkey}`);
  expect(response.status).toBe(200);
  return { torrent: response.body, passkey };
}

async function expectDownloaded(directory: string, release: Release): Promise<void> {
  for (const [path, bytes] of Object.entries(FILES)) {
    expect(sha256(await readFile(join(directory, release.torrentName, ...path.split('/'))))).toBe(sha256(bytes));
  }
}

describe('libtorrent downloads a release from the publisher', () => {
  let s3: RunningS3rver;
  let dir: TempDir;
  let publisher: PublisherUnderTest | undefined;
  let peer: ScriptedPeer | undefined;

  beforeEach(async () => {
    s3 = await startS3rver();
    dir = await createTempDir('sf-publisher-lt-');
  });

  afterEach(async () => {
    await peer?.stop();
    peer = undefined;
    await publisher?.close();
    publisher = undefined;
    await s3.stop();
    await dir.remove();
  });

  // libtorrent 2.0 learns redirects per file: each 302 adds the S3 host as a web seed for that file and
  // drops the publisher's connection. When the S3 connection has gone idle before the last file's redirect
  // is learned, libtorrent waits urlseed_wait_retry (30 s by default) before reconnecting: this test takes
  // ~35 s with libtorrent's defaults (kept on purpose), ~2 s with fs storage.
  it('(a) from the web seed alone, S3 behind the 302 (no BitTorrent peer exists)', async () => {
    publisher = await s3Publisher(s3, { ORIGIN_SEEDER: 'off' });
    const release = await publishRelease(publisher, 'lt-app', '1.0.0', FILES);
    const { torrent } = await agentTorrent(publisher, release);
    expect(parseTorrent(torrent).urlList).toEqual([`${publisher.config.publicUrl}/webseed/${release.id}/`]);
    const torrentPath = join(dir.path, 'release.torrent');
    await writeFile(torrentPath, torrent);
    peer = await startLibtorrentPeer({ torrentPath, directory: join(dir.path, 'download'), role: 'download' });
    await peer.whenComplete(120_000);
    await expectDownloaded(join(dir.path, 'download'), release);
  });

  it('(a) from the web seed alone, local storage (ranges served by the publisher)', async () => {
    publisher = await startPublisher({ ORIGIN_SEEDER: 'off' });
    const release = await publishRelease(publisher, 'lt-app', '1.1.0', FILES);
    const { torrent } = await agentTorrent(publisher, release);
    const torrentPath = join(dir.path, 'release.torrent');
    await writeFile(torrentPath, torrent);
    peer = await startLibtorrentPeer({ torrentPath, directory: join(dir.path, 'download'), role: 'download' });
    await peer.whenComplete(120_000);
    await expectDownloaded(join(dir.path, 'download'), release);
  });

  it('(b) from the origin seeder alone (url-list removed from the torrent copy), objects read from S3', async () => {
    publisher = await s3Publisher(s3, { ORIGIN_SEEDER_PORT: '0', ORIGIN_SEEDER_HOST: '127.0.0.1', ORIGIN_SEEDER_POLL_SECONDS: '1' });
    const release = await publishRelease(publisher, 'lt-app', '2.0.0', FILES);
    const origin = publisher.app.get(OriginSeederService);
    const { torrent, passkey } = await agentTorrent(publisher, release);
    // The origin must be in the tracker's swarm before libtorrent's first announce.
    const infoHash = Buffer.from(release.infoHashV1!, 'hex');
    await waitFor(
      'the origin seeder to announce itself as a seed',
      async () => {
        const scrape = await rawRequest(publisher!.base, 'GET', `/scrape/${passkey}?info_hash=${[...infoHash].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')}`);
        const files = (decode(scrape.body).value as BDict).get('files') as BDict | undefined;
        return ((files?.get(infoHash.toString('latin1')) as BDict | undefined)?.get('complete') as number) >= 1 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const stripped = decode(torrent).value as BDict;
    stripped.delete('url-list');
    const copy = encode(stripped);
    expect(parseTorrent(copy).infoHashV1!.equals(infoHash)).toBe(true);
    expect(parseTorrent(copy).urlList).toEqual([]);
    const torrentPath = join(dir.path, 'release.torrent');
    await writeFile(torrentPath, copy);

    peer = await startLibtorrentPeer({ torrentPath, directory: join(dir.path, 'download'), role: 'download' });
    await peer.whenComplete(120_000);
    await expectDownloaded(join(dir.path, 'download'), release);
    const seeded = origin.torrentOf(release.id)!.progress();
    expect(seeded.state).toBe('seeding');
    expect(seeded.uploaded).toBeGreaterThanOrEqual(Object.values(FILES).reduce((sum, bytes) => sum + bytes.length, 0));
  });
});
