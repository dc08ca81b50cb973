import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, deterministicBytes, type TempDir, waitFor } from '@seedfleet/testing';
import { TrustClient } from '@seedfleet/trust';
import { Redis } from 'ioredis';
import { commands } from '../../apps/cli/src/commands/registry';
import { run } from '../../apps/cli/src/run';
import { captureIo } from '../../apps/cli/src/test-support/capture-io';
import { deleteKeysWithPrefix } from '../../apps/publisher/src/tracker/ioredis-port';
import { TrustService } from '../../apps/publisher/src/trust/trust.service';
import { readObject, REDIS_URL, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

jest.setTimeout(180_000);

/**
 * The production set-up: the root made offline with `seedfleet keys init`, its key moved away; replicas
 * sharing storage and Redis, one with key files, one with TUF_<ROLE>_KEY variables; builds on both at
 * once; then a root rotated offline and picked up by a (re)started replica.
 */
describe('publisher TUF with an offline root and two replicas', () => {
  let temp: TempDir;
  const replicas: PublisherUnderTest[] = [];
  let shared: Record<string, string>;
  const prefix = `seedfleet-test:${randomBytes(6).toString('hex')}:`;

  const cli = async (...argv: string[]) => {
    const io = captureIo({ cwd: temp.path });
    const code = await run(argv, io, commands);
    expect({ code, err: io.err() }).toEqual({ code: 0, err: '' });
  };

  beforeAll(async () => {
    temp = await createTempDir('sf-trust-replicas-');
    await cli('keys', 'init', '--dir', 'keys');
    await mkdir(join(temp.path, 'offline'), { mode: 0o700 });
    await rename(join(temp.path, 'keys', 'root-1.pem'), join(temp.path, 'offline', 'root-1.pem'));
    shared = {
      STORAGE_DIR: join(temp.path, 'objects'),
      REDIS_KEY_PREFIX: prefix,
      TRACKER_KEY_PREFIX: `${prefix}tracker:`,
      ORIGIN_SEEDER: 'off',
      TUF_AUTO_INIT: 'false',
    };
    const envKeys = Object.fromEntries(
      await Promise.all(['targets', 'snapshot', 'timestamp'].map(async (role) => [`TUF_${role.toUpperCase()}_KEY`, (await readFile(join(temp.path, 'keys', `${role}.pem`))).toString('base64')])),
    );
    replicas.push(await startPublisher({ ...shared, TUF_KEYS_DIR: join(temp.path, 'keys') }));
    replicas.push(await startPublisher({ ...shared, TUF_KEYS_DIR: join(temp.path, 'no-keys-here'), ...envKeys }));
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close().catch(() => undefined);
    const redis = new Redis(REDIS_URL);
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await temp?.remove();
  });

  it('serves the offline root and lists releases built concurrently on both replicas', async () => {
    const [a, b] = replicas;
    const shippedRoot = await readFile(join(temp.path, 'keys', 'metadata', 'root.json'));
    for (const replica of replicas) expect(Buffer.from(await (await fetch(`${replica.base}/tuf/1.root.json`)).arrayBuffer()).equals(shippedRoot)).toBe(true);

    expect((await a.api('POST', '/api/products', { body: { name: 'fleet-app' } })).status).toBe(201);
    const versions = ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5'];
    const ids = await Promise.all(
      versions.map(async (version, index) => {
        const replica = replicas[index % 2];
        const created = await replica.api('POST', '/api/releases', { body: { product: 'fleet-app', version } });
        const id = created.json.id as string;
        expect((await replica.api('PUT', `/api/releases/${id}/files/app.bin`, { raw: deterministicBytes(40_000 + index, version) })).status).toBe(201);
        expect((await replica.api('POST', `/api/releases/${id}/build`)).status).toBe(202);
        return id;
      }),
    );
    for (const id of ids) await b.waitForRelease(id, (release) => release.status === 'ready');

    // The build workers of both replicas add targets as builds finish (no reconcile here: it would heal a
    // lost update that the lock must prevent in the first place).
    const expected = versions.flatMap((version) => [`fleet-app/${version}/manifest.json`, `fleet-app/${version}/release.torrent`]);
    const client = await waitFor(
      'every release listed',
      async () => {
        const candidate = new TrustClient({ metadataBaseUrl: `${b.base}/tuf`, targetsBaseUrl: `${a.base}/tuf/targets`, trustedRoot: shippedRoot, cacheDir: join(temp.path, 'cache') });
        await candidate.refresh();
        const names = (await candidate.listTargets()).map((target) => target.name);
        return expected.every((name) => names.includes(name)) ? candidate : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect((await client.listTargets()).map((target) => target.name)).toEqual(expected);
    for (const version of versions) {
      const target = await client.targetInfo(`fleet-app/${version}/release.torrent`);
      await client.downloadTarget(target.name, join(temp.path, `${version}.torrent`));
    }

    // No targets version lost a target of the one before: no two writers built on the same version.
    const status = await a.app.get(TrustService).status();
    let previous: string[] = [];
    for (let version = 1; version <= status.targets.version; version++) {
      const listed = Object.keys((JSON.parse((await readObject(a.store, `tuf/metadata/${version}.targets.json`)).toString()) as { signed: { targets: object } }).signed.targets);
      expect(listed).toEqual(expect.arrayContaining(previous));
      previous = listed;
    }
    expect(status.targets.version).toBeGreaterThan(1);
  });

  it('a root rotated offline is imported by a restarted replica and followed by clients holding root v1', async () => {
    await cli('keys', 'rotate-root', '--dir', 'offline', '--metadata', join('keys', 'metadata'));
    replicas.push(await startPublisher({ ...shared, TUF_KEYS_DIR: join(temp.path, 'keys') }));
    const restarted = replicas[2];
    expect((await restarted.app.get(TrustService).status()).root.version).toBe(2);
    const client = new TrustClient({ metadataBaseUrl: `${replicas[1].base}/tuf`, targetsBaseUrl: `${replicas[1].base}/tuf/targets`, trustedRoot: await readFile(join(temp.path, 'keys', 'metadata', '1.root.json')), cacheDir: join(temp.path, 'cache') });
    expect((await client.refresh()).root).toBe(2);
    expect((await client.listTargets()).length).toBe(12);
  });
});
