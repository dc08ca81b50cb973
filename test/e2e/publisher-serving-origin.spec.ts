import { createServer } from 'node:net';
import { MemoryPieceStore, Session } from '@seedfleet/engine';
import { parseTorrent, pieceRange } from '@seedfleet/metainfo';
import { deterministicBytes, waitFor } from '@seedfleet/testing';
import { OriginSeederService } from '../../apps/publisher/src/origin-seeder/origin-seeder.service';
import { releaseKeys } from '../../apps/publisher/src/releases/release.model';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';
import { publishRelease, rawRequest } from './publisher-serving.fixture';

jest.setTimeout(120_000);

const FILES: Record<string, Buffer> = {
  'bin/app': deterministicBytes(1024 * 1024 + 333, 'origin-app'),
  'etc/app.conf': Buffer.from('threads=4\n'),
};

describe('origin seeder (real Redis, fs storage, our engine as the leecher)', () => {
  let publisher: PublisherUnderTest;
  let origin: OriginSeederService;
  const sessions: Session[] = [];

  beforeAll(async () => {
    publisher = await startPublisher({ ORIGIN_SEEDER_PORT: '0', ORIGIN_SEEDER_HOST: '127.0.0.1', ORIGIN_SEEDER_POLL_SECONDS: '1' });
    origin = publisher.app.get(OriginSeederService);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.close()));
    await publisher?.close();
  });

  it('seeds a release once it is built, serves every piece, and stops when it is retired', async () => {
    expect(origin.port).toBeGreaterThan(0);
    const release = await publishRelease(publisher, 'origin-app', '1.0.0', FILES);
    await waitFor('the origin to seed the new release', async () => (origin.releaseIds.includes(release.id) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    expect(origin.torrentOf(release.id)!.state).toBe('seeding');

    const response = await rawRequest(publisher.base, 'GET', `/api/releases/${release.id}/torrent`);
    const metainfo = { ...parseTorrent(response.body), announce: [], urlList: [] };
    const session = new Session({ host: '127.0.0.1' });
    sessions.push(session);
    await session.listen();
    const store = new MemoryPieceStore(metainfo);
    const torrent = await session.add({ metainfo, store, peers: [{ host: '127.0.0.1', port: origin.port! }] });
    await torrent.whenComplete();
    // Our engine verified every piece; check the bytes too, file by file, through the piece space.
    for (const file of metainfo.files.filter((entry) => !entry.pad && entry.length > 0)) {
      const bytes = FILES[file.path.join('/')];
      const first = Math.floor(file.offset / metainfo.pieceLength);
      const last = Math.floor((file.offset + file.length - 1) / metainfo.pieceLength);
      const pieces = await Promise.all(Array.from({ length: last - first + 1 }, (_, i) => store.readPiece(first + i)));
      const start = file.offset - pieceRange(metainfo, first).start;
      expect(Buffer.concat(pieces).subarray(start, start + file.length).equals(bytes)).toBe(true);
    }
    expect(origin.torrentOf(release.id)!.progress().uploaded).toBeGreaterThanOrEqual(metainfo.totalSize);

    expect((await publisher.api('POST', `/api/releases/${release.id}/retire`)).status).toBe(200);
    await waitFor('the origin to drop the retired release', async () => (origin.releaseIds.includes(release.id) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
  });

  it('a release whose objects went missing is dropped and retried later, the others keep seeding', async () => {
    const healthy = await publishRelease(publisher, 'origin-app', '2.0.0', FILES);
    const broken = await publishRelease(publisher, 'origin-app', '2.0.1', { 'only.bin': deterministicBytes(100_000, 'broken') });
    await waitFor('both releases seeded', async () => (origin.releaseIds.includes(healthy.id) && origin.releaseIds.includes(broken.id) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    await publisher.store.delete(releaseKeys.file(broken.id, 'only.bin'));

    // A leecher asking for the broken release's pieces makes the origin read the missing object.
    const response = await rawRequest(publisher.base, 'GET', `/api/releases/${broken.id}/torrent`);
    const metainfo = { ...parseTorrent(response.body), announce: [], urlList: [] };
    const session = new Session({ host: '127.0.0.1' });
    sessions.push(session);
    await session.listen();
    await session.add({ metainfo, store: new MemoryPieceStore(metainfo), peers: [{ host: '127.0.0.1', port: origin.port! }] });

    await waitFor('the broken release to be dropped', async () => (origin.releaseIds.includes(broken.id) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
    expect(origin.releaseIds).toContain(healthy.id);
    expect(origin.torrentOf(healthy.id)!.state).toBe('seeding');
  });

  it('a taken port does not stop the publisher: it runs without the origin peer', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const other = await startPublisher({ ORIGIN_SEEDER_PORT: String(port), ORIGIN_SEEDER_HOST: '127.0.0.1' });
    try {
      expect(other.app.get(OriginSeederService).port).toBeUndefined();
      expect((await rawRequest(other.base, 'GET', '/healthz')).status).toBe(200);
    } finally {
      await other.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
