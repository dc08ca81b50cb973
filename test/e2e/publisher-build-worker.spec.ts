import { join } from 'node:path';
import { createTorrent, parseTorrent } from '@seedfleet/metainfo';
import { deterministicBytes, ManagedProcess } from '@seedfleet/testing';
import { seedfleetVersion } from '../../apps/publisher/src/builds/seedfleet-version';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(180_000);

const SUPPORT = join(__dirname, 'publisher-support');
const ARTIFACT = deterministicBytes(6 * 1024 * 1024 + 123, 'worker-kill');

/** `node worker` as production runs it (same configuration as the publisher), from the TypeScript sources. */
function startWorker(publisher: PublisherUnderTest, readDelayMs: number): Promise<ManagedProcess> {
  const env = { ...process.env, ...publisher.env, TEST_READ_DELAY_MS: String(readDelayMs) };
  return ManagedProcess.start('build worker', process.execPath, ['-r', join(SUPPORT, 'ts-register.js'), '-e', `require(${JSON.stringify(join(SUPPORT, 'slow-worker.ts'))})`], { env });
}

describe('standalone build worker killed mid-build', () => {
  let publisher: PublisherUnderTest;
  const workers: ManagedProcess[] = [];

  beforeAll(async () => {
    publisher = await startPublisher({ BUILD_WORKER: 'off', MAX_UPLOAD_BYTES: '16MiB' });
    expect((await publisher.api('POST', '/api/products', { body: { name: 'killer-app' } })).status).toBe(201);
  });

  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await publisher?.close();
  });

  it('is taken over by a new worker process, which writes a byte-identical torrent', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'killer-app', version: '5.0.0' } })).json as unknown as Release;
    expect((await publisher.api('PUT', `/api/releases/${release.id}/files/payload.bin`, { raw: ARTIFACT })).status).toBe(201);
    expect((await publisher.api('PUT', `/api/releases/${release.id}/files/notes.txt`, { raw: Buffer.from('release notes\n') })).status).toBe(201);
    expect((await publisher.api('POST', `/api/releases/${release.id}/build`)).json.status).toBe('queued');

    // ~100 reads of 64 KiB at 40 ms each: several seconds in which the build is visibly half done.
    const first = await startWorker(publisher, 40);
    workers.push(first);
    const midway = await publisher.waitForRelease(release.id, (current) => current.status === 'building' && (current.build?.bytesDone ?? 0) > 0, 120_000);
    expect(midway.build!.bytesDone).toBeLessThan(midway.build!.bytesTotal);
    expect(first.running).toBe(true);
    process.kill(first.pid, 'SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect((await publisher.api('GET', `/api/releases/${release.id}`)).json.status).toBe('building');
    expect(await publisher.keys(`releases/${release.id}/release.torrent`)).toEqual([]);

    const second = await startWorker(publisher, 0);
    workers.push(second);
    const ready = await publisher.waitForRelease(release.id, (current) => current.status === 'ready', 120_000);
    expect(ready.build).toMatchObject({ phase: 'done', bytesDone: ARTIFACT.length + 14, bytesTotal: ARTIFACT.length + 14 });

    const { body } = await publisher.store.get(`releases/${release.id}/release.torrent`);
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const torrent = Buffer.concat(chunks);
    expect(parseTorrent(torrent).infoHashV2?.toString('hex')).toBe(ready.infoHashV2);
    const base = publisher.config.publicUrl;
    const uninterrupted = await createTorrent(
      [
        { path: ['payload.bin'], length: ARTIFACT.length, open: async function* () { yield ARTIFACT; } },
        { path: ['notes.txt'], length: 14, open: async function* () { yield Buffer.from('release notes\n'); } },
      ],
      {
        version: 'hybrid',
        name: 'killer-app-5.0.0',
        trackers: [[`${base}/announce/{passkey}`]],
        webSeeds: [`${base}/webseed/${release.id}/`],
        private: true,
        createdBy: `seedfleet ${seedfleetVersion()}`,
        creationDate: Math.floor(Date.parse(release.createdAt) / 1000),
      },
    );
    expect(torrent.equals(uninterrupted.torrent)).toBe(true);
    expect(second.running).toBe(true);
  });
});
