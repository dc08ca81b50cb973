import { type ObjectStore, StorageError } from '@seedfleet/storage';
import { deterministicBytes } from '@seedfleet/testing';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import { startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(120_000);

/** Storage whose reads of artifacts under `flaky/` fail `failures` times with a transient error (an S3 503). */
function flakyReads(failures: { remaining: number }): (store: ObjectStore) => ObjectStore {
  return (store) =>
    new Proxy(store, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (property !== 'get') return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: Parameters<ObjectStore['get']>) => {
          if (args[0].includes('/files/flaky/') && failures.remaining > 0) {
            failures.remaining -= 1;
            throw new StorageError('unavailable', 'SlowDown: please reduce your request rate (503)', args[0]);
          }
          return target.get(...args);
        };
      },
    });
}

describe('publisher build failures', () => {
  const failures = { remaining: 0 };
  let publisher: PublisherUnderTest;

  beforeAll(async () => {
    publisher = await startPublisher({}, { wrapObjectStore: flakyReads(failures) });
    expect((await publisher.api('POST', '/api/products', { body: { name: 'fragile' } })).status).toBe(201);
  });

  afterAll(async () => {
    await publisher?.close();
  });

  async function uploaded(version: string, files: Record<string, Buffer>): Promise<Release> {
    const release = (await publisher.api('POST', '/api/releases', { body: { product: 'fragile', version } })).json as unknown as Release;
    for (const [path, bytes] of Object.entries(files)) expect((await publisher.api('PUT', `/api/releases/${release.id}/files/${path}`, { raw: bytes })).status).toBe(201);
    return release;
  }

  it('retries a build after a transient storage error and then succeeds', async () => {
    const release = await uploaded('1.0.0', { 'flaky/app.bin': deterministicBytes(100_000, 'flaky') });
    failures.remaining = 1;
    await publisher.api('POST', `/api/releases/${release.id}/build`);
    const ready = await publisher.waitForRelease(release.id, (current) => current.status === 'ready');
    expect(failures.remaining).toBe(0);
    expect(ready.build).toMatchObject({ attempt: 2, phase: 'done' });
    expect(ready.error).toBeUndefined();
  });

  it('fails at once, with the reason, when a stored file no longer matches its recorded SHA-256', async () => {
    const original = deterministicBytes(50_000, 'original');
    const release = await uploaded('2.0.0', { 'app.bin': original });
    // Same size, different bytes, written behind the API's back.
    await publisher.store.put(`releases/${release.id}/files/app.bin`, deterministicBytes(50_000, 'tampered'));
    await publisher.api('POST', `/api/releases/${release.id}/build`);
    const failed = await publisher.waitForRelease(release.id, (current) => current.status === 'failed');
    expect(failed.error).toMatch(/^app\.bin changed since upload \(SHA-256 [0-9a-f]{64}, 50000 bytes; recorded [0-9a-f]{64}, 50000 bytes\)/);
    expect(failed.build?.attempt).toBe(1);
    expect(failed.infoHashV1).toBeUndefined();
    expect(await publisher.keys(`releases/${release.id}/release.torrent`)).toEqual([]);

    // After the operator fixes the file (same bytes as recorded), building again succeeds.
    await publisher.store.put(`releases/${release.id}/files/app.bin`, original);
    expect((await publisher.api('POST', `/api/releases/${release.id}/build`)).json.status).toBe('queued');
    await publisher.waitForRelease(release.id, (current) => current.status === 'ready');
  });
});
