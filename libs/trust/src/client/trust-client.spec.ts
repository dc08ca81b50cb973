import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, MetadataKind, Signature, Snapshot, Targets, Timestamp, TargetFile } from '@tufjs/models';
import { generateEd25519Signer, type Signer } from '../keys/signer';
import { describeFile, metadataFileName, parseMetadata, serializeMetadata, SPEC_VERSION } from '../repository/metadata-files';
import { rotateRoot } from '../repository/rotate-root';
import { consistentTargetName } from '../repository/target-input';
import { TufRepository } from '../repository/tuf-repository';
import { parseReleaseTargetCustom, releaseCustom, type ReleaseTargetCustom } from '../release-target';
import { TrustError, type TrustErrorCode } from '../trust-error';
import { createTestRepository, type TestRepository } from './testing/test-repository';
import { TrustClient } from './trust-client';
import { verifyFile } from './verify-file';

const HOUR_MS = 60 * 60 * 1000;
const torrentBytes = Buffer.from('d8:announce27:http://tracker.example/ann4:infod4:name3:appee');
const release: ReleaseTargetCustom = {
  product: 'app',
  version: '1.4.0',
  channel: 'stable',
  infoHashV1: 'a'.repeat(40),
  infoHashV2: null,
  files: [{ path: 'bin/app', sha256: 'b'.repeat(64), size: 1234 }],
};
const TARGET = 'releases/app/1.4.0/app.torrent';

let repo: TestRepository | undefined;
afterEach(async () => {
  await repo?.close();
  repo = undefined;
});

async function clientFor(test: TestRepository, trustedRoot = test.rootV1, cacheDir?: string): Promise<TrustClient> {
  return new TrustClient({ metadataBaseUrl: test.metadataUrl, targetsBaseUrl: test.targetsUrl, trustedRoot, cacheDir: cacheDir ?? (await test.cacheDir()), fetchRetries: 0, fetchTimeoutMs: 5000 });
}

async function expectTrustError(promise: Promise<unknown>, code: TrustErrorCode, message?: RegExp): Promise<TrustError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TrustError);
  expect({ code: (error as TrustError).code, message: (error as TrustError).message }).toEqual({ code, message: message ? expect.stringMatching(message) : expect.any(String) });
  return error as TrustError;
}

/** Signs like a publisher that holds only `signers`, bypassing the repository's threshold check. */
async function signWith(metadata: Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>, signers: readonly Signer[]): Promise<void> {
  const payload = Buffer.from(canonicalize(metadata.signed.toJSON()));
  metadata.signatures = {};
  for (const signer of signers) metadata.signatures[signer.publicKey.keyId] = new Signature({ keyID: signer.publicKey.keyId, sig: Buffer.from(await signer.sign(payload)).toString('hex') });
}

describe('TrustClient against a TufRepository over HTTP', () => {
  it('refreshes, reads the signed custom field and downloads a verified target', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes, custom: releaseCustom(release) }]);
    const client = await clientFor(repo);
    expect(await client.refresh()).toEqual({ root: 1, timestamp: 2, snapshot: 2, targets: 2 });
    const info = await client.targetInfo(TARGET);
    const sha256 = createHash('sha256').update(torrentBytes).digest('hex');
    expect(info).toMatchObject({ name: TARGET, length: torrentBytes.length, sha256 });
    expect(parseReleaseTargetCustom(info.custom, TARGET)).toEqual(release);
    const dest = join(repo.dir, 'downloaded.torrent');
    await client.downloadTarget(TARGET, dest);
    expect((await readFile(dest)).equals(torrentBytes)).toBe(true);
    expect(repo.server.requests).toContain(`targets/${consistentTargetName(TARGET, sha256)}`);
    await verifyFile(dest, info);
    expect(await client.listTargets()).toEqual([info]);
    await expectTrustError(client.targetInfo('releases/app/9.9.9/app.torrent'), 'not-found', /not a signed target/);
  });

  it('refuses targets metadata whose bytes were changed', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes, custom: releaseCustom(release) }]);
    const name = metadataFileName('targets', 2);
    const original = (await repo.metadataStore.read(name))!;
    repo.server.override(`metadata/${name}`, Buffer.from(original.toString().replace('"stable"', '"canary"')));
    await expectTrustError((await clientFor(repo)).refresh(), 'hash-mismatch', /targets/);
  });

  it('refuses timestamp metadata whose signed part was changed', async () => {
    repo = await createTestRepository();
    const timestamp = (await repo.metadataStore.read('timestamp.json'))!;
    repo.server.override('metadata/timestamp.json', Buffer.from(timestamp.toString().replace(/"version": 1,/, '"version": 7,')));
    await expectTrustError((await clientFor(repo)).refresh(), 'bad-signature', /timestamp was signed by 0\/1 keys/);
  });

  it('refuses target bytes that differ from the signed hash and leaves no file behind', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes }]);
    const sha256 = createHash('sha256').update(torrentBytes).digest('hex');
    const tampered = Buffer.from(torrentBytes);
    tampered[10] ^= 1;
    repo.server.override(`targets/${consistentTargetName(TARGET, sha256)}`, tampered);
    const client = await clientFor(repo);
    await client.refresh();
    const dest = join(repo.dir, 'downloaded.torrent');
    await expectTrustError(client.downloadTarget(TARGET, dest), 'hash-mismatch', /Expected hash/);
    await expect(stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
    repo.server.override(`targets/${consistentTargetName(TARGET, sha256)}`, Buffer.concat([torrentBytes, Buffer.from('x')]));
    await expectTrustError(client.downloadTarget(TARGET, dest), 'hash-mismatch');
  });

  it('refuses an expired timestamp (freeze attack) and works again once the publisher refreshes it', async () => {
    let clock = Date.now() - 25 * HOUR_MS;
    repo = await createTestRepository({ now: () => new Date(clock) });
    const client = await clientFor(repo);
    await expectTrustError(client.refresh(), 'expired', /timestamp.json is expired/);
    await expectTrustError(client.targetInfo(TARGET), 'repository-state');
    await expectTrustError(client.listTargets(), 'repository-state');
    clock = Date.now();
    const refreshed = await repo.repository.refreshTimestamp({ ifExpiringWithinMs: HOUR_MS });
    expect(refreshed.refreshed).toEqual(['timestamp']);
    expect(await client.refresh()).toEqual({ root: 1, timestamp: 2, snapshot: 1, targets: 1 });
  });

  it('keeps clients working across scheduled timestamp refreshes, and refreshes nothing early', async () => {
    let clock = Date.now() - 20 * HOUR_MS;
    repo = await createTestRepository({ now: () => new Date(clock) });
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes }]);
    const client = await clientFor(repo);
    expect((await client.refresh()).timestamp).toBe(2);
    expect((await repo.repository.refreshTimestamp({ ifExpiringWithinMs: HOUR_MS })).refreshed).toEqual([]);
    clock = Date.now();
    expect((await repo.repository.refreshTimestamp({ ifExpiringWithinMs: 6 * HOUR_MS })).refreshed).toEqual(['timestamp']);
    expect(await client.refresh()).toEqual({ root: 1, timestamp: 3, snapshot: 2, targets: 2 });
    await client.downloadTarget(TARGET, join(repo.dir, 'again.torrent'));
  });

  it('refuses an older timestamp after having seen a newer one (rollback)', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: 'a.txt', bytes: Buffer.from('a') }]);
    const old = (await repo.metadataStore.read('timestamp.json'))!;
    await repo.repository.addTargets([{ name: 'b.txt', bytes: Buffer.from('b') }]);
    const cacheDir = await repo.cacheDir();
    const client = await clientFor(repo, repo.rootV1, cacheDir);
    expect((await client.refresh()).timestamp).toBe(3);
    repo.server.override('metadata/timestamp.json', old);
    await expectTrustError(client.refresh(), 'rollback', /timestamp version 2 is less than current version 3/);
    // A new client instance over the same cache remembers what it saw.
    await expectTrustError((await clientFor(repo, repo.rootV1, cacheDir)).refresh(), 'rollback');
    // A client that never saw version 3 accepts version 2: rollback protection is relative to what was seen.
    expect((await (await clientFor(repo)).refresh()).timestamp).toBe(2);
  });

  it('refuses a timestamp naming an older snapshot, and a snapshot naming older targets (compromised online keys)', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: 'a.txt', bytes: Buffer.from('a') }]);
    const client = await clientFor(repo);
    expect(await client.refresh()).toEqual({ root: 1, timestamp: 2, snapshot: 2, targets: 2 });
    const expires = '2099-01-01T00:00:00Z';
    // The timestamp key alone points clients back at snapshot v1.
    const timestamp = new Metadata(new Timestamp({ version: 3, specVersion: SPEC_VERSION, expires, snapshotMeta: describeFile(1, (await repo.metadataStore.read('1.snapshot.json'))!) }));
    await signWith(timestamp, repo.signers.timestamp);
    repo.server.override('metadata/timestamp.json', serializeMetadata(timestamp));
    await expectTrustError(client.refresh(), 'rollback', /snapshot version 1 is less than current version 2/);
    // The timestamp and snapshot keys together point clients back at targets v1.
    const snapshot = new Metadata(new Snapshot({ version: 3, specVersion: SPEC_VERSION, expires, meta: { 'targets.json': describeFile(1, (await repo.metadataStore.read('1.targets.json'))!) } }));
    await signWith(snapshot, repo.signers.snapshot);
    const snapshotBytes = serializeMetadata(snapshot);
    repo.server.override('metadata/3.snapshot.json', snapshotBytes);
    const timestamp4 = new Metadata(new Timestamp({ version: 4, specVersion: SPEC_VERSION, expires, snapshotMeta: describeFile(3, snapshotBytes) }));
    await signWith(timestamp4, repo.signers.timestamp);
    repo.server.override('metadata/timestamp.json', serializeMetadata(timestamp4));
    await expectTrustError(client.refresh(), 'rollback', /version 1 of targets.json is less than current version 2/);
  });

  it('refuses targets signed by 1 of the 2 keys its threshold requires', async () => {
    repo = await createTestRepository({ targetsKeys: 2, targetsThreshold: 2 });
    const client = await clientFor(repo);
    expect((await client.refresh()).targets).toBe(1);
    await expect(TufRepository.open({ store: repo.metadataStore, signers: { ...repo.signers, targets: [repo.signers.targets[0]] } })).rejects.toMatchObject({ code: 'threshold' });
    // A publisher holding one targets key writes a consistent chain anyway.
    const targets = new Metadata(new Targets({ version: 2, specVersion: SPEC_VERSION, expires: '2099-01-01T00:00:00Z', targets: { 'evil.bin': new TargetFile({ path: 'evil.bin', length: 1, hashes: { sha256: 'c'.repeat(64) } }) } }));
    await signWith(targets, [repo.signers.targets[0]]);
    const targetsBytes = serializeMetadata(targets);
    await repo.metadataStore.write('2.targets.json', targetsBytes);
    const snapshot = new Metadata(new Snapshot({ version: 2, specVersion: SPEC_VERSION, expires: '2099-01-01T00:00:00Z', meta: { 'targets.json': describeFile(2, targetsBytes) } }));
    await signWith(snapshot, repo.signers.snapshot);
    const snapshotBytes = serializeMetadata(snapshot);
    await repo.metadataStore.write('2.snapshot.json', snapshotBytes);
    const timestamp = new Metadata(new Timestamp({ version: 2, specVersion: SPEC_VERSION, expires: '2099-01-01T00:00:00Z', snapshotMeta: describeFile(2, snapshotBytes) }));
    await signWith(timestamp, repo.signers.timestamp);
    await repo.metadataStore.write('timestamp.json', serializeMetadata(timestamp));
    await expectTrustError(client.refresh(), 'bad-signature', /targets was signed by 1\/2 keys/);
    await expectTrustError((await clientFor(repo)).refresh(), 'bad-signature');
  });

  it('follows a root rotation from a client that only ships root v1', async () => {
    repo = await createTestRepository({ rootKeys: 2, rootThreshold: 2 });
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes }]);
    const client = await clientFor(repo);
    expect((await client.refresh()).root).toBe(1);
    const newRootKeys = [generateEd25519Signer(), generateEd25519Signer(), generateEd25519Signer()];
    const rotation = await rotateRoot({ store: repo.metadataStore, signers: [...repo.rootSigners, ...newRootKeys.slice(0, 2)], roles: { root: { keys: newRootKeys.map((key) => key.publicKey), threshold: 2 } } });
    expect(rotation).toMatchObject({ version: 2, fileName: '2.root.json' });
    const third = await rotateRoot({ store: repo.metadataStore, signers: newRootKeys.slice(1), roles: {} });
    expect(third.version).toBe(3);
    expect(await client.refresh()).toMatchObject({ root: 3 });
    expect((await (await clientFor(repo)).refresh()).root).toBe(3);
    await client.downloadTarget(TARGET, join(repo.dir, 'after-rotation.torrent'));
  });

  it('refuses a new root not signed by the threshold of the old root keys', async () => {
    repo = await createTestRepository({ rootKeys: 2, rootThreshold: 2 });
    const client = await clientFor(repo);
    await client.refresh();
    const attacker = generateEd25519Signer();
    await expect(rotateRoot({ store: repo.metadataStore, signers: [repo.rootSigners[0], attacker], roles: { root: { keys: [attacker.publicKey], threshold: 1 } } })).rejects.toMatchObject({ code: 'threshold' });
    // Written by hand, as an attacker holding one of the two old keys would.
    const v1 = parseMetadata(MetadataKind.Root, repo.rootV1, '1.root.json');
    const forged = JSON.parse(repo.rootV1.toString());
    forged.signed.version = 2;
    forged.signed.keys = { [attacker.publicKey.keyId]: { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: attacker.publicKey.publicHex } } };
    for (const role of Object.keys(forged.signed.roles)) forged.signed.roles[role] = { keyids: [attacker.publicKey.keyId], threshold: 1 };
    const payload = Buffer.from(canonicalize(forged.signed));
    forged.signatures = await Promise.all([repo.rootSigners[0], attacker].map(async (signer) => ({ keyid: signer.publicKey.keyId, sig: Buffer.from(await signer.sign(payload)).toString('hex') })));
    expect(v1.signed.roles.root.threshold).toBe(2);
    repo.server.override('metadata/2.root.json', Buffer.from(JSON.stringify(forged)));
    await expectTrustError(client.refresh(), 'bad-signature', /root was signed by 1\/2 keys/);
  });

  it('re-signs online roles whose keys a root rotation replaced', async () => {
    repo = await createTestRepository();
    const client = await clientFor(repo);
    await client.refresh();
    const newTimestampKey = generateEd25519Signer();
    await rotateRoot({ store: repo.metadataStore, signers: repo.rootSigners, roles: { timestamp: { keys: [newTimestampKey.publicKey], threshold: 1 } } });
    await expectTrustError(client.refresh(), 'bad-signature', /timestamp was signed by 0\/1 keys/);
    const reopened = await TufRepository.open({ store: repo.metadataStore, signers: { ...repo.signers, timestamp: [newTimestampKey] } });
    expect((await reopened.refreshTimestamp()).refreshed).toEqual(['timestamp']);
    expect(await client.refresh()).toEqual({ root: 2, timestamp: 2, snapshot: 1, targets: 1 });
  });

  it('reports an unreachable repository and a missing one with distinct codes', async () => {
    repo = await createTestRepository();
    repo.server.override('metadata/timestamp.json', null);
    await expectTrustError((await clientFor(repo)).refresh(), 'not-found', /timestamp.json: HTTP 404/);
    const url = repo.server.url;
    await repo.server.close();
    const offline = new TrustClient({ metadataBaseUrl: `${url}/metadata`, targetsBaseUrl: `${url}/targets`, trustedRoot: repo.rootV1, cacheDir: await repo.cacheDir(), fetchRetries: 1, fetchTimeoutMs: 2000 });
    await expectTrustError(offline.refresh(), 'network', /ECONNREFUSED/);
  });

  it('answers corrupted metadata from the server with a TrustError, never anything else', async () => {
    repo = await createTestRepository();
    await repo.repository.addTargets([{ name: TARGET, bytes: torrentBytes, custom: releaseCustom(release) }]);
    const test = repo;
    const files = { timestamp: (await test.metadataStore.read('timestamp.json'))!, targets: (await test.metadataStore.read('2.targets.json'))! };
    const mutation = fc.record({ file: fc.constantFrom('timestamp' as const, 'targets' as const), at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), xor: fc.integer({ min: 1, max: 255 }), truncate: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ file, at, xor, truncate }) => {
        const original = files[file];
        const position = Math.floor(at * original.length);
        const corrupted = truncate ? original.subarray(0, position) : Buffer.from(original);
        if (!truncate) corrupted[position] ^= xor;
        test.server.override(`metadata/${file === 'timestamp' ? 'timestamp.json' : '2.targets.json'}`, corrupted);
        try {
          await (await clientFor(test)).refresh();
          // A timestamp change can leave what is signed intact (say, the case of a hex digit in a signature).
          return file === 'timestamp';
        } catch (error) {
          return error instanceof TrustError && (file === 'timestamp' || error.code === 'hash-mismatch');
        } finally {
          test.server.override(`metadata/${file === 'timestamp' ? 'timestamp.json' : '2.targets.json'}`, undefined);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('starts again from the shipped root when the cached root is damaged', async () => {
    repo = await createTestRepository();
    await rotateRoot({ store: repo.metadataStore, signers: repo.rootSigners, roles: {} });
    const cacheDir = await repo.cacheDir();
    expect((await (await clientFor(repo, repo.rootV1, cacheDir)).refresh()).root).toBe(2);
    const cached = await readFile(join(cacheDir, 'root.json'), 'utf8');
    await writeFile(join(cacheDir, 'root.json'), cached.replace(/"sig": "(.)/, (_match, first: string) => `"sig": "${first === '0' ? '1' : '0'}`));
    expect((await (await clientFor(repo, repo.rootV1, cacheDir)).refresh()).root).toBe(2);
  });

  it('rejects base URLs that are not http(s)', () => {
    const options = { metadataBaseUrl: 'http://127.0.0.1:1/metadata', targetsBaseUrl: 'http://127.0.0.1:1/targets', trustedRoot: Buffer.from('{}'), cacheDir: '/nonexistent' };
    expect(() => new TrustClient({ ...options, metadataBaseUrl: 'file:///etc' })).toThrow(expect.objectContaining({ code: 'invalid-argument', message: "metadataBaseUrl must be an http(s) URL, got 'file:///etc'" }));
    expect(() => new TrustClient({ ...options, targetsBaseUrl: 'not a url' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });

  it('rejects a trusted root that is not root metadata', async () => {
    repo = await createTestRepository();
    await expectTrustError((await clientFor(repo, Buffer.from('{"signed":{}}'))).refresh(), 'invalid-metadata');
    const tampered = Buffer.from(repo.rootV1.toString().replace('"version": 1', '"version": 5'));
    await expectTrustError((await clientFor(repo, tampered)).refresh(), 'bad-signature');
  });
});
