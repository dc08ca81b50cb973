import { MemoryPieceStore, Session } from '@seedfleet/engine';
import { parseTorrent } from '@seedfleet/metainfo';
import { deterministicBytes, type RunningS3rver, startS3rver } from '@seedfleet/testing';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { PRESIGNED_URL_SECONDS } from '../../apps/publisher/src/webseed/webseed.controller';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';
import { fetchAllPiecesWithOurWebSeed, publishRelease, rawRequest, webSeedPath } from './publisher-serving.fixture';

jest.setTimeout(120_000);

const APP = deterministicBytes(200_000, 's3-app');

describe('web seed over S3 storage (s3rver over HTTP)', () => {
  let s3: RunningS3rver;
  let publisher: PublisherUnderTest;
  let release: Release;

  beforeAll(async () => {
    s3 = await startS3rver();
    publisher = await startPublisher({
      ORIGIN_SEEDER: 'off',
      STORAGE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_REGION: s3.region,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    });
    release = await publishRelease(publisher, 's3-app', '1.0.0', { 'bin/app': APP, 'etc/conf.txt': Buffer.from('x=1\n') });
  });

  afterAll(async () => {
    await publisher?.close();
    await s3?.stop();
  });

  it('GET answers 302 to a fresh presigned URL (no-store) that serves the right bytes for a Range', async () => {
    const first = await rawRequest(publisher.base, 'GET', webSeedPath(release, 'bin/app'), { range: 'bytes=1000-1999' });
    expect(first.status).toBe(302);
    expect(first.headers['cache-control']).toBe('no-store');
    const location = new URL(first.headers.location!);
    expect(location.origin).toBe(s3.endpoint);
    expect(location.pathname).toBe(`/${s3.bucket}/releases/${release.id}/files/bin/app`);
    expect(location.searchParams.get('X-Amz-Expires')).toBe(String(PRESIGNED_URL_SECONDS));
    expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    const ranged = await fetch(location, { headers: { range: 'bytes=1000-1999' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(APP.subarray(1000, 2000))).toBe(true);

    const whole = await fetch(location);
    expect(Buffer.from(await whole.arrayBuffer()).equals(APP)).toBe(true);
  });

  it("our engine's web-seed client fetches every piece through the 302s (presigned query kept byte for byte)", async () => {
    const torrent = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent`);
    const result = await fetchAllPiecesWithOurWebSeed(torrent.body);
    expect(result).toMatchObject({ bad: [], undelivered: [], error: undefined });
    // Two files: each one GET answered 302, then one ranged GET to S3.
    expect(result).toMatchObject({ redirects: 2, requests: 4 });
  });

  it('an enrolled agent engine (our Session) completes the release from the web seed alone, S3 behind the 302', async () => {
    const token = await publisher.api('POST', '/api/enrollment-tokens', { body: {} });
    const agent = await publisher.api('POST', '/api/enroll', { body: { token: token.json.token }, token: null });
    const torrent = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent?passkey=${agent.json.passkey as string}`);
    const metainfo = parseTorrent(torrent.body);
    const session = new Session({ host: '127.0.0.1' });
    try {
      await session.listen();
      const added = await session.add({ metainfo, store: new MemoryPieceStore(metainfo) });
      await added.whenComplete();
      const progress = added.progress();
      expect(progress.webSeedDownloaded).toBeGreaterThanOrEqual(metainfo.totalSize);
      expect(progress.peers).toBe(0);
    } finally {
      await session.close();
    }
  });

  it('HEAD is answered by the publisher itself (a presigned GET URL cannot be HEADed)', async () => {
    const head = await rawRequest(publisher.base, 'HEAD', webSeedPath(release, 'bin/app'));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(APP.length));
    expect(head.headers['accept-ranges']).toBe('bytes');
  });

  it('paths outside the release file list never redirect', async () => {
    for (const path of [webSeedPath(release, 'bin/other'), `${webSeedPath(release)}/..%2F..%2Frelease.torrent`, `/webseed/${release.id}/x/bin/app`]) {
      const response = await rawRequest(publisher.base, 'GET', path);
      expect(response.status).toBe(404);
      expect(response.headers.location).toBeUndefined();
    }
  });

  it('the torrent names only the publisher (no bucket, no endpoint, no credential)', async () => {
    const torrent = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent`);
    const text = torrent.body.toString('latin1');
    expect(text).toContain(`${publisher.config.publicUrl}/webseed/${release.id}/`);
    expect(text).not.toContain(s3.endpoint);
    expect(text).not.toContain('X-Amz');
  });
});
