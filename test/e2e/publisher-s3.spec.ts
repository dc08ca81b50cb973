import { parseTorrent } from '@seedfleet/metainfo';
import { deterministicBytes, startS3rver, type RunningS3rver } from '@seedfleet/testing';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { locallyBuiltTorrent, readObject, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(120_000);

// Larger than the S3 adapter's 8 MiB part size, so the upload goes multipart.
const FILES: Record<string, Buffer> = {
  'images/disk.img': deterministicBytes(9 * 1024 * 1024 + 5, 's3-disk'),
  'VERSION': Buffer.from('7.0.0\n'),
};

describe('publisher on S3 storage (s3rver over HTTP, real Redis)', () => {
  let s3: RunningS3rver;
  let publisher: PublisherUnderTest;

  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'seedfleet-releases' });
    publisher = await startPublisher({
      STORAGE: 's3',
      S3_BUCKET: s3.bucket,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      MAX_UPLOAD_BYTES: '12MiB',
    });
    expect((await publisher.api('POST', '/api/products', { body: { name: 'fleet-os', channels: ['stable'] } })).status).toBe(201);
  });

  afterAll(async () => {
    await publisher?.close();
    await s3?.stop();
  });

  it('streams uploads into the bucket, builds from it and writes the torrent and manifest there', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'fleet-os', version: '7.0.0' } })).json as unknown as Release;
    for (const [path, bytes] of Object.entries(FILES)) expect((await publisher.api('PUT', `/api/releases/${release.id}/files/${path}`, { raw: bytes })).status).toBe(201);
    expect((await publisher.api('POST', `/api/releases/${release.id}/build`)).status).toBe(202);
    const ready = await publisher.waitForRelease(release.id, (current) => current.status === 'ready');

    const torrent = await readObject(publisher.store, `releases/${release.id}/release.torrent`);
    expect(parseTorrent(torrent).infoHashV1?.toString('hex')).toBe(ready.infoHashV1);
    expect(torrent.equals(await locallyBuiltTorrent(publisher.base, ready, FILES))).toBe(true);
    const manifest = JSON.parse((await readObject(publisher.store, `releases/${release.id}/manifest.json`)).toString('utf8')) as { files: unknown };
    expect(manifest.files).toEqual(ready.files);
    expect((await readObject(publisher.store, `releases/${release.id}/files/images/disk.img`)).equals(FILES['images/disk.img'])).toBe(true);
  });

  it('leaves neither an object nor a multipart upload behind when an upload is refused or too large', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'fleet-os', version: '7.0.1' } })).json as unknown as Release;
    const chunk = Buffer.alloc(1024 * 1024, 3);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 14) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${publisher.base}/api/releases/${release.id}/files/too-big.img`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${publisher.env.SEEDFLEET_ADMIN_TOKEN}`, 'content-type': 'application/octet-stream' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await publisher.api('PUT', `/api/releases/${release.id}/files/empty`, { raw: Buffer.alloc(0) })).status).toBe(400);
    expect(await publisher.keys(`releases/${release.id}/`)).toEqual([]);
    expect(await s3.pendingMultipartUploads()).toEqual([]);
  });
});
