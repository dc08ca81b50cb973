import { createHash } from 'node:crypto';
import { MetadataKind } from '@tufjs/models';
import { generateEd25519Signer } from '../keys/signer';
import { MemoryMetadataStore } from '../store/memory-metadata-store';
import { TrustError } from '../trust-error';
import { initRepository } from './init-repository';
import { loadLatestRoot, parseMetadata } from './metadata-files';
import { DEFAULT_EXPIRY } from './roles';
import { rotateRoot } from './rotate-root';
import { consistentTargetName, type TargetInput } from './target-input';
import { TufRepository } from './tuf-repository';

class RecordingStore extends MemoryMetadataStore {
  readonly writes: string[] = [];
  override async write(name: string, bytes: Uint8Array): Promise<void> {
    this.writes.push(name);
    await super.write(name, bytes);
  }
}

const NOW = new Date('2030-01-01T00:00:00Z');

async function setup(options: { rootKeys?: number; rootThreshold?: number } = {}) {
  const store = new RecordingStore();
  const targetStore = new MemoryMetadataStore();
  const rootSigners = Array.from({ length: options.rootKeys ?? 1 }, () => generateEd25519Signer());
  const signers = { targets: [generateEd25519Signer()], snapshot: [generateEd25519Signer()], timestamp: [generateEd25519Signer()] };
  const one = (signer: { publicKey: (typeof rootSigners)[number]['publicKey'] }) => ({ keys: [signer.publicKey], threshold: 1 });
  let clock = NOW.getTime();
  const repository = await initRepository({
    store,
    targetStore,
    roles: { root: { keys: rootSigners.map((signer) => signer.publicKey), threshold: options.rootThreshold ?? 1 }, targets: one(signers.targets[0]), snapshot: one(signers.snapshot[0]), timestamp: one(signers.timestamp[0]) },
    rootSigners,
    signers,
    now: () => new Date(clock),
  });
  return { store, targetStore, repository, rootSigners, signers, advance: (ms: number) => (clock += ms) };
}

const json = async (store: MemoryMetadataStore, name: string) => JSON.parse((await store.read(name))!.toString());

describe('initRepository', () => {
  it('writes root v1 and the first online metadata, signed, with the default expirations', async () => {
    const { store, repository } = await setup();
    expect(store.names()).toEqual(['1.root.json', '1.snapshot.json', '1.targets.json', 'root.json', 'timestamp.json']);
    expect(store.writes).toEqual(['1.root.json', 'root.json', '1.targets.json', '1.snapshot.json', 'timestamp.json']);
    const root = parseMetadata(MetadataKind.Root, (await store.read('root.json'))!, 'root.json');
    root.verifyDelegate('root', root);
    root.verifyDelegate('targets', parseMetadata(MetadataKind.Targets, (await store.read('1.targets.json'))!, 'targets'));
    root.verifyDelegate('snapshot', parseMetadata(MetadataKind.Snapshot, (await store.read('1.snapshot.json'))!, 'snapshot'));
    root.verifyDelegate('timestamp', parseMetadata(MetadataKind.Timestamp, (await store.read('timestamp.json'))!, 'timestamp'));
    expect(root.signed.consistentSnapshot).toBe(true);
    expect(await repository.status()).toEqual({
      root: { version: 1, expires: new Date(NOW.getTime() + DEFAULT_EXPIRY.root).toISOString().replace('.000', '') },
      targets: { version: 1, expires: '2030-04-01T00:00:00Z' },
      snapshot: { version: 1, expires: '2030-01-08T00:00:00Z' },
      timestamp: { version: 1, expires: '2030-01-02T00:00:00Z' },
    });
  });

  it('refuses a store that already has a root, and root keys below the threshold', async () => {
    const { store, signers, rootSigners } = await setup();
    const roles = { root: { keys: rootSigners.map((signer) => signer.publicKey), threshold: 1 }, targets: { keys: [signers.targets[0].publicKey], threshold: 1 }, snapshot: { keys: [signers.snapshot[0].publicKey], threshold: 1 }, timestamp: { keys: [signers.timestamp[0].publicKey], threshold: 1 } };
    await expect(initRepository({ store, roles, rootSigners, signers })).rejects.toMatchObject({ code: 'repository-state' });
    const twoRootKeys = [generateEd25519Signer(), generateEd25519Signer()];
    await expect(initRepository({ store: new MemoryMetadataStore(), roles: { ...roles, root: { keys: twoRootKeys.map((signer) => signer.publicKey), threshold: 2 } }, rootSigners: [twoRootKeys[0]], signers })).rejects.toMatchObject({ code: 'threshold' });
    await expect(initRepository({ store: new MemoryMetadataStore(), roles: { ...roles, root: { keys: [twoRootKeys[0].publicKey], threshold: 2 } }, rootSigners: twoRootKeys, signers })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});

describe('TufRepository', () => {
  it('adds targets as new targets, snapshot and timestamp versions, written in that order', async () => {
    const { store, targetStore, repository } = await setup();
    store.writes.length = 0;
    const bytes = Buffer.from('torrent bytes');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const status = await repository.addTargets([
      { name: 'releases/app/1.0.0/app.torrent', bytes, custom: { channel: 'stable', files: [{ size: 3 }] } },
      { name: 'big/app.tar', length: 10_000_000, hashes: { sha512: 'd'.repeat(128), sha256: 'e'.repeat(64) } },
    ]);
    expect(store.writes).toEqual(['2.targets.json', '2.snapshot.json', 'timestamp.json']);
    expect([status.targets.version, status.snapshot.version, status.timestamp.version]).toEqual([2, 2, 2]);
    expect(targetStore.names()).toEqual([consistentTargetName('releases/app/1.0.0/app.torrent', sha256)]);
    expect(consistentTargetName('releases/app/1.0.0/app.torrent', sha256)).toBe(`releases/app/1.0.0/${sha256}.app.torrent`);
    const targets = await json(store, '2.targets.json');
    expect(targets.signed.targets['releases/app/1.0.0/app.torrent']).toEqual({ length: bytes.length, hashes: { sha256 }, custom: { channel: 'stable', files: [{ size: 3 }] } });
    expect(Object.keys(targets.signed.targets['big/app.tar'].hashes)).toEqual(['sha256', 'sha512']);
    const snapshot = await json(store, '2.snapshot.json');
    const targetsBytes = (await store.read('2.targets.json'))!;
    expect(snapshot.signed.meta['targets.json']).toEqual({ version: 2, length: targetsBytes.length, hashes: { sha256: createHash('sha256').update(targetsBytes).digest('hex') } });
    expect((await json(store, 'timestamp.json')).signed.meta['snapshot.json'].version).toBe(2);
    expect((await repository.listTargets()).map((target) => target.name)).toEqual(['big/app.tar', 'releases/app/1.0.0/app.torrent']);
  });

  it('removes targets, and refuses unknown names without changing anything', async () => {
    const { store, repository } = await setup();
    await repository.addTargets([{ name: 'a', bytes: Buffer.from('a') }, { name: 'b', bytes: Buffer.from('b') }]);
    const before = store.writes.length;
    await expect(repository.removeTargets(['a', 'zzz'])).rejects.toMatchObject({ code: 'not-found', message: 'not a target: zzz' });
    expect(store.writes.length).toBe(before);
    expect((await repository.removeTargets(['a'])).targets.version).toBe(3);
    expect((await repository.listTargets()).map((target) => target.name)).toEqual(['b']);
  });

  it('rejects bad target input before writing anything', async () => {
    const { store, repository } = await setup();
    const before = store.writes.length;
    const cases: TargetInput[] = [
      { name: '../escape', bytes: Buffer.from('x') },
      { name: '/abs', bytes: Buffer.from('x') },
      { name: 'a//b', bytes: Buffer.from('x') },
      { name: 'ok', bytes: Buffer.from('x'), custom: { ratio: 0.5 } },
      { name: 'ok', length: 1, hashes: { md5: 'a'.repeat(32) } },
      { name: 'ok', length: 1, hashes: { sha512: 'a'.repeat(128) } },
      { name: 'ok', length: -1, hashes: { sha256: 'a'.repeat(64) } },
      { name: 'ok', length: 1, hashes: { sha256: 'A'.repeat(64) } },
    ];
    for (const input of cases) {
      await expect(repository.addTargets([input])).rejects.toBeInstanceOf(TrustError);
    }
    await expect(repository.addTargets([{ name: 'same', bytes: Buffer.from('1') }, { name: 'same', bytes: Buffer.from('2') }])).rejects.toMatchObject({ code: 'invalid-argument', message: 'same is given twice' });
    expect((await repository.addTargets([])).targets.version).toBe(1);
    expect((await repository.removeTargets([])).targets.version).toBe(1);
    expect(store.writes.length).toBe(before);
  });

  it('refreshes only what is due: timestamp, then snapshot, then targets', async () => {
    const { repository, advance } = await setup();
    expect((await repository.refreshTimestamp()).refreshed).toEqual([]);
    advance(13 * 60 * 60 * 1000);
    expect((await repository.refreshTimestamp()).refreshed).toEqual(['timestamp']);
    advance(4 * 24 * 60 * 60 * 1000);
    expect((await repository.refreshTimestamp()).refreshed).toEqual(['snapshot', 'timestamp']);
    advance(46 * 24 * 60 * 60 * 1000);
    const result = await repository.refreshTimestamp();
    expect(result.refreshed).toEqual(['targets', 'snapshot', 'timestamp']);
    expect(result.status).toMatchObject({ targets: { version: 2 }, snapshot: { version: 3 }, timestamp: { version: 4 } });
  });

  it('opens a repository with only a root (made offline) by publishing the online roles, and checks signers first', async () => {
    const { store, signers } = await setup();
    const rootOnly = new MemoryMetadataStore();
    await rootOnly.write('root.json', (await store.read('root.json'))!);
    await expect(TufRepository.open({ store: rootOnly, signers: { ...signers, snapshot: [generateEd25519Signer()] } })).rejects.toMatchObject({ code: 'threshold', message: expect.stringContaining('snapshot needs 1 of the keys') });
    expect(rootOnly.names()).toEqual(['root.json']);
    const repository = await TufRepository.open({ store: rootOnly, signers });
    expect(rootOnly.names()).toEqual(['1.snapshot.json', '1.targets.json', 'root.json', 'timestamp.json']);
    expect((await repository.status()).timestamp.version).toBe(1);
    await expect(TufRepository.open({ store: new MemoryMetadataStore(), signers })).rejects.toMatchObject({ code: 'repository-state' });
  });

  it('validates expirations and the refresh window when opened or called', async () => {
    const { store, signers, repository } = await setup();
    await expect(TufRepository.open({ store, signers, expiry: { timestamp: -1 } })).rejects.toMatchObject({ code: 'invalid-argument', message: 'expiry.timestamp must be a positive whole number of milliseconds, got -1' });
    await expect(TufRepository.open({ store, signers, expiry: { snapshot: 1.5 } })).rejects.toMatchObject({ code: 'invalid-argument' });
    expect((await TufRepository.open({ store, signers, expiry: { snapshot: undefined } })) instanceof TufRepository).toBe(true);
    await expect(repository.refreshTimestamp({ ifExpiringWithinMs: Number.NaN })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('runs concurrent operations one at a time', async () => {
    const { repository } = await setup();
    const results = await Promise.all(Array.from({ length: 5 }, (_, index) => repository.addTargets([{ name: `t${index}`, bytes: Buffer.from([index]) }])));
    expect(results.map((status) => status.targets.version)).toEqual([2, 3, 4, 5, 6]);
    expect((await repository.listTargets()).length).toBe(5);
  });
});

describe('rotateRoot', () => {
  it('writes <n+1>.root.json signed by the old and the new root keys, and root.json with it', async () => {
    const { store, rootSigners } = await setup({ rootKeys: 3, rootThreshold: 2 });
    const fresh = [generateEd25519Signer(), generateEd25519Signer()];
    await expect(rotateRoot({ store, signers: [rootSigners[0], ...fresh], roles: { root: { keys: fresh.map((signer) => signer.publicKey), threshold: 2 } } })).rejects.toMatchObject({ code: 'threshold', message: expect.stringContaining('root v1') });
    await expect(rotateRoot({ store, signers: [...rootSigners, fresh[0]], roles: { root: { keys: fresh.map((signer) => signer.publicKey), threshold: 2 } } })).rejects.toMatchObject({ code: 'threshold', message: expect.stringContaining('root v2') });
    const rotation = await rotateRoot({ store, signers: [rootSigners[0], rootSigners[2], ...fresh], roles: { root: { keys: fresh.map((signer) => signer.publicKey), threshold: 2 } } });
    expect(rotation).toMatchObject({ version: 2, fileName: '2.root.json', roles: { root: { keyIds: fresh.map((signer) => signer.publicKey.keyId), threshold: 2 } } });
    expect((await store.read('root.json'))!.equals((await store.read('2.root.json'))!)).toBe(true);
    const v1 = parseMetadata(MetadataKind.Root, (await store.read('1.root.json'))!, 'v1');
    const v2 = parseMetadata(MetadataKind.Root, (await store.read('2.root.json'))!, 'v2');
    v1.verifyDelegate('root', v2);
    v2.verifyDelegate('root', v2);
    expect(Object.keys(v2.signatures)).toHaveLength(4);
    expect(v2.signed.roles.targets.keyIDs).toEqual(v1.signed.roles.targets.keyIDs);
  });

  it('finds the newest root even when root.json was not rewritten (an interrupted rotation)', async () => {
    const { store, rootSigners } = await setup();
    const stale = (await store.read('root.json'))!;
    await rotateRoot({ store, signers: rootSigners, roles: {} });
    await store.write('root.json', stale);
    expect((await loadLatestRoot(store))?.signed.version).toBe(2);
    expect((await rotateRoot({ store, signers: rootSigners, roles: {} })).version).toBe(3);
    expect((await loadLatestRoot(store))?.signed.version).toBe(3);
  });
});
