import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { DirectoryMetadataStore, type Ed25519Signer, generateEd25519Signer, initRepository, MemoryMetadataStore, rotateRoot } from '@seedfleet/trust';
import { writeKeyFiles } from './online-keys';
import { openRepository } from './open-repository';
import { loadTrustConfig } from './trust-config';
import type { PublisherConfig } from '../config/publisher-config';

let dir: TempDir;
let keysDir: string;
let store: MemoryMetadataStore;
let messages: string[];

beforeEach(async () => {
  dir = await createTempDir('sf-trust-open-');
  keysDir = join(dir.path, 'keys');
  store = new MemoryMetadataStore();
  messages = [];
});
afterEach(() => dir.remove());

function open(env: Record<string, string> = {}) {
  const trust = loadTrustConfig({ dataDir: dir.path } as PublisherConfig, { TUF_KEYS_DIR: keysDir, ...env });
  const logger = { log: (message: string) => messages.push(message), warn: (message: string) => messages.push(`WARN ${message}`) };
  return openRepository({ metadataStore: store, targetStore: new MemoryMetadataStore(), trust, env, publicUrl: 'http://publisher.test', logger });
}

const online = () => ({ targets: generateEd25519Signer(), snapshot: generateEd25519Signer(), timestamp: generateEd25519Signer() });
const onlineFiles = (keys: ReturnType<typeof online>) => Object.entries(keys).map(([role, signer]) => ({ name: `${role}.pem`, signer }));
const one = (signer: Ed25519Signer) => ({ keys: [signer.publicKey], threshold: 1 });

/** What `seedfleet keys init --dir keys` leaves: key files and keys/metadata with root v1 (root key kept apart here). */
async function offlineInit(keys: ReturnType<typeof online>, root: Ed25519Signer): Promise<DirectoryMetadataStore> {
  const offline = new DirectoryMetadataStore(join(keysDir, 'metadata'));
  await initRepository({ store: offline, roles: { root: one(root), targets: one(keys.targets), snapshot: one(keys.snapshot), timestamp: one(keys.timestamp) }, rootSigners: [root], signers: { targets: [keys.targets], snapshot: [keys.snapshot], timestamp: [keys.timestamp] } });
  await writeKeyFiles(keysDir, onlineFiles(keys));
  return offline;
}

describe('openRepository', () => {
  it('first start with nothing: generates all four keys (0600, directory 0700), warns, and opens the same repository next time', async () => {
    const repository = await open();
    expect((await repository.status()).root.version).toBe(1);
    expect(await readdir(keysDir)).toEqual(['root-1.pem', 'snapshot.pem', 'targets.pem', 'timestamp.pem']);
    expect((await stat(keysDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(keysDir, 'root-1.pem'))).mode & 0o777).toBe(0o600);
    expect(messages.join('\n')).toMatch(/WARN generated TUF keys .* development setup.*seedfleet keys init.*http:\/\/publisher\.test\/tuf\/root\.json/s);

    const pem = await readFile(join(keysDir, 'targets.pem'), 'utf8');
    const root = await store.read('root.json');
    const again = await open();
    expect((await again.status()).root.version).toBe(1);
    expect(await readFile(join(keysDir, 'targets.pem'), 'utf8')).toBe(pem);
    expect((await store.read('root.json'))!.equals(root!)).toBe(true);
  });

  it('refuses to generate keys with TUF_AUTO_INIT=false, and says how to make a root', async () => {
    await expect(open({ TUF_AUTO_INIT: 'false' })).rejects.toThrow(/no TUF root in storage \(tuf\/metadata\/\): create one offline with 'seedfleet keys init --dir .*keys'/);
    await expect(readdir(keysDir)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a stored repository without online keys here is an error naming both ways to give them', async () => {
    await open();
    await rm(keysDir, { recursive: true });
    await expect(open()).rejects.toThrow(/needs its online keys: set TUF_TARGETS_KEY, TUF_SNAPSHOT_KEY and TUF_TIMESTAMP_KEY or put targets.pem, snapshot.pem and timestamp.pem into/);
  });

  it('takes the online keys from TUF_<ROLE>_KEY (base64 PEM) over files', async () => {
    const keys = online();
    const root = generateEd25519Signer();
    await offlineInit(keys, root);
    await rm(join(keysDir, 'targets.pem'));
    await expect(open()).rejects.toThrow(/no key for the TUF targets role\(s\): set TUF_TARGETS_KEY or put targets.pem into/);
    const repository = await open({ TUF_TARGETS_KEY: Buffer.from(keys.targets.toPem()).toString('base64') });
    expect((await repository.addTargets([{ name: 'a/1/x.json', bytes: Buffer.from('{}') }])).targets.version).toBe(2);
    await expect(open({ TUF_TARGETS_KEY: Buffer.from(generateEd25519Signer().toPem()).toString('base64') })).rejects.toMatchObject({ code: 'threshold' });
    await expect(open({ TUF_TARGETS_KEY: 'not base64 !' })).rejects.toMatchObject({ code: 'bad-key' });
  });

  it('imports the roots `seedfleet keys init` and `keys rotate-root` wrote into <keys>/metadata', async () => {
    const keys = online();
    const root = generateEd25519Signer();
    const offline = await offlineInit(keys, root);
    const repository = await open();
    expect((await store.read('1.root.json'))!.equals((await offline.read('1.root.json'))!)).toBe(true);
    expect((await repository.status()).timestamp.version).toBe(1);
    expect(messages).toContain(`imported TUF root v1..v1 from ${join(keysDir, 'metadata')}`);
    expect(await readdir(keysDir)).not.toContain('root-1.pem');

    const newRoot = generateEd25519Signer();
    await rotateRoot({ store: offline, signers: [root, newRoot], roles: { root: one(newRoot) } });
    const reopened = await open();
    expect((await reopened.status()).root.version).toBe(2);
    expect((await store.read('root.json'))!.equals((await offline.read('2.root.json'))!)).toBe(true);
    expect(await store.read('1.root.json')).toBeDefined();
  });

  it('inits with root-<n>.pem found next to the online keys, warning to move them offline', async () => {
    const keys = online();
    await writeKeyFiles(keysDir, [...onlineFiles(keys), { name: 'root-1.pem', signer: generateEd25519Signer() }, { name: 'root-2.pem', signer: generateEd25519Signer() }]);
    const repository = await open();
    expect((await repository.status()).root.version).toBe(1);
    expect(messages.some((message) => message.startsWith('WARN initialising the TUF repository with the root key(s)'))).toBe(true);
    const root = JSON.parse((await store.read('root.json'))!.toString()) as { signed: { roles: { root: { threshold: number } } }; signatures: unknown[] };
    expect(root.signed.roles.root.threshold).toBe(2);
    expect(root.signatures).toHaveLength(2);
  });
});
