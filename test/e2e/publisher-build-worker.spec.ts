import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { deterministicBytes, ManagedProcess } from '@seedfleet/testing';
import { BuildQueue } from '../../apps/publisher/src/builds/build-queue';
import { BuildReconciler } from '../../apps/publisher/src/builds/build-reconciler';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { locallyBuiltTorrent, readObject, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(180_000);

const SUPPORT = join(__dirname, 'publisher-support');
const ARTIFACT = deterministicBytes(6 * 1024 * 1024 + 123, 'worker-kill');
const NOTES = Buffer.from('release notes\n');

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
    expect((await publisher.api('PUT', `/api/releases/${release.id}/files/notes.txt`, { raw: NOTES })).status).toBe(201);
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
    expect(ready.build).toMatchObject({ phase: 'done', bytesDone: ARTIFACT.length + NOTES.length, bytesTotal: ARTIFACT.length + NOTES.length });

    const torrent = await readObject(publisher.store, `releases/${release.id}/release.torrent`);
    expect(parseTorrent(torrent).infoHashV2?.toString('hex')).toBe(ready.infoHashV2);
    const uninterrupted = await locallyBuiltTorrent(publisher.base, ready, { 'payload.bin': ARTIFACT, 'notes.txt': NOTES });
    expect(torrent.equals(uninterrupted)).toBe(true);
    expect(second.running).toBe(true);
    // Graceful: Nest closes the worker, then re-raises SIGTERM (a SIGKILL would mean it hung past the grace time).
    expect(await second.stop()).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('re-queues, at reconciliation, a build whose job was lost with Redis', async () => {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'killer-app', version: '5.0.1' } })).json as unknown as Release;
    expect((await publisher.api('PUT', `/api/releases/${release.id}/files/notes.txt`, { raw: NOTES })).status).toBe(201);
    expect((await publisher.api('POST', `/api/releases/${release.id}/build`)).json.status).toBe('queued');
    const { queue } = publisher.app.get(BuildQueue);
    await queue.obliterate({ force: true });
    expect(await queue.getJob(release.id)).toBeUndefined();

    const reconciler = publisher.app.get(BuildReconciler);
    expect(await reconciler.reconcile()).toEqual([release.id]);
    expect(await (await queue.getJob(release.id))?.getState()).toBe('waiting');
    expect(await reconciler.reconcile()).toEqual([]);
    workers.push(await startWorker(publisher, 0));
    await publisher.waitForRelease(release.id, (current) => current.status === 'ready', 120_000);
  });
});
