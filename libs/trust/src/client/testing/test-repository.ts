import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEd25519Signer, type Ed25519Signer } from '../../keys/signer';
import { initRepository } from '../../repository/init-repository';
import type { ExpiryPolicy } from '../../repository/roles';
import type { TufRepository } from '../../repository/tuf-repository';
import { DirectoryMetadataStore } from '../../store/directory-metadata-store';
import { serveDirectory, type DirectoryServer } from './serve-directory';

export interface TestRepository {
  readonly dir: string;
  readonly metadataStore: DirectoryMetadataStore;
  readonly targetStore: DirectoryMetadataStore;
  readonly repository: TufRepository;
  readonly rootSigners: Ed25519Signer[];
  readonly signers: { targets: Ed25519Signer[]; snapshot: Ed25519Signer[]; timestamp: Ed25519Signer[] };
  readonly server: DirectoryServer;
  readonly metadataUrl: string;
  readonly targetsUrl: string;
  /** root v1 as written: what an agent would ship with. */
  readonly rootV1: Buffer;
  /** A fresh cache directory for one more client. */
  cacheDir(): Promise<string>;
  close(): Promise<void>;
}

/** A repository in a temp dir (metadata/ and targets/), served over HTTP on loopback. */
export async function createTestRepository(options: { rootKeys?: number; rootThreshold?: number; targetsKeys?: number; targetsThreshold?: number; now?: () => Date; expiry?: Partial<ExpiryPolicy> } = {}): Promise<TestRepository> {
  const dir = await mkdtemp(join(tmpdir(), 'seedfleet-tuf-'));
  const generate = (count: number) => Array.from({ length: count }, () => generateEd25519Signer());
  const rootSigners = generate(options.rootKeys ?? 1);
  const signers = { targets: generate(options.targetsKeys ?? 1), snapshot: generate(1), timestamp: generate(1) };
  const metadataStore = new DirectoryMetadataStore(join(dir, 'metadata'));
  const targetStore = new DirectoryMetadataStore(join(dir, 'targets'));
  const role = (list: Ed25519Signer[], threshold = 1) => ({ keys: list.map((signer) => signer.publicKey), threshold });
  const repository = await initRepository({
    store: metadataStore,
    targetStore,
    roles: { root: role(rootSigners, options.rootThreshold), targets: role(signers.targets, options.targetsThreshold), snapshot: role(signers.snapshot), timestamp: role(signers.timestamp) },
    rootSigners,
    signers,
    now: options.now,
    expiry: options.expiry,
  });
  const server = await serveDirectory(dir);
  const rootV1 = (await metadataStore.read('1.root.json'))!;
  let caches = 0;
  return {
    dir,
    metadataStore,
    targetStore,
    repository,
    rootSigners,
    signers,
    server,
    metadataUrl: `${server.url}/metadata`,
    targetsUrl: `${server.url}/targets`,
    rootV1,
    cacheDir: async () => join(dir, `cache-${++caches}`),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
