import { join } from 'node:path';
import {
  DirectoryMetadataStore,
  generateEd25519Signer,
  initRepository,
  loadLatestRoot,
  loadSignerFromFile,
  type MetadataStore,
  metadataFileName,
  type OnlineSigners,
  type RoleKeys,
  type RoleName,
  type Signer,
  TufRepository,
} from '@seedfleet/trust';
import { loadOnlineSigners, rootKeyFiles, TrustKeysError, writeKeyFiles } from './online-keys';
import type { TrustConfig } from './trust-config';

export interface OpenRepositoryOptions {
  readonly metadataStore: MetadataStore;
  readonly targetStore: MetadataStore;
  readonly trust: TrustConfig;
  /** Where TUF_<ROLE>_KEY come from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For the log line telling where agents find root.json. */
  readonly publicUrl: string;
  readonly logger: { log(message: string): void; warn(message: string): void };
  readonly now?: () => Date;
}

/** Where the repository lives in the object store, for messages. */
const STORE_NAME = 'tuf/metadata/';

/**
 * Opens the publisher's repository, in this order: import root versions `seedfleet keys init|rotate-root`
 * left in `<keysDir>/metadata` that the store lacks; open the stored repository with the online keys; with
 * no root stored, init one with root keys found in keysDir, or (TUF_AUTO_INIT, nothing at all configured)
 * generate every key for a development setup. Anything else is a TrustKeysError saying what to do.
 * Callers hold the repository lock.
 */
export async function openRepository(options: OpenRepositoryOptions): Promise<TufRepository> {
  const { trust, metadataStore } = options;
  const repositoryOptions = { store: metadataStore, targetStore: options.targetStore, expiry: trust.expiry, now: options.now };
  const signers = await loadOnlineSigners(trust.keysDir, options.env);
  await importRoots(options);
  if (await loadLatestRoot(metadataStore)) {
    if (!signers) {
      throw new TrustKeysError(
        `the TUF repository in storage (${STORE_NAME}) needs its online keys: set TUF_TARGETS_KEY, TUF_SNAPSHOT_KEY and TUF_TIMESTAMP_KEY or put targets.pem, snapshot.pem and timestamp.pem into ${trust.keysDir}`,
      );
    }
    return TufRepository.open({ ...repositoryOptions, signers });
  }
  const rootFiles = await rootKeyFiles(trust.keysDir);
  if (signers && rootFiles.length > 0) {
    const rootSigners = await Promise.all(rootFiles.map((file) => loadSignerFromFile(file)));
    options.logger.warn(`initialising the TUF repository with the root key(s) in ${trust.keysDir}; move them offline`);
    return initRepository({ ...repositoryOptions, signers, rootSigners, roles: rolesOf(signers, rootSigners) });
  }
  if (signers || !trust.autoInit) {
    throw new TrustKeysError(
      `no TUF root in storage (${STORE_NAME}): create one offline with 'seedfleet keys init --dir ${trust.keysDir}' (the publisher imports ${join(trust.keysDir, 'metadata')}/<n>.root.json on start) or copy its <n>.root.json and root.json files into ${STORE_NAME}`,
    );
  }
  return initForDevelopment(options, repositoryOptions);
}

/** First start without keys or metadata: every key, root too, generated into the keys directory. */
async function initForDevelopment(options: OpenRepositoryOptions, repositoryOptions: Omit<Parameters<typeof initRepository>[0], 'signers' | 'rootSigners' | 'roles'>): Promise<TufRepository> {
  const root = generateEd25519Signer();
  const online = { targets: generateEd25519Signer(), snapshot: generateEd25519Signer(), timestamp: generateEd25519Signer() };
  await writeKeyFiles(options.trust.keysDir, [
    { name: 'root-1.pem', signer: root },
    { name: 'targets.pem', signer: online.targets },
    { name: 'snapshot.pem', signer: online.snapshot },
    { name: 'timestamp.pem', signer: online.timestamp },
  ]);
  const signers: OnlineSigners = { targets: [online.targets], snapshot: [online.snapshot], timestamp: [online.timestamp] };
  const repository = await initRepository({ ...repositoryOptions, signers, rootSigners: [root], roles: rolesOf(signers, [root]) });
  options.logger.warn(
    [
      `generated TUF keys (root, targets, snapshot, timestamp) in ${options.trust.keysDir} and initialised the repository.`,
      'This is a development setup: the root key sits next to the publisher. In production create the root',
      `offline with 'seedfleet keys init', keep root-*.pem offline, and give the publisher only the online keys.`,
      `Agents ship ${options.publicUrl}/tuf/root.json as their trusted root.`,
    ].join('\n'),
  );
  return repository;
}

/** Copies the `<n>.root.json` files in `<keysDir>/metadata` newer than the store's root (a new repository,
 * or a root rotated offline), oldest first, then root.json. */
async function importRoots(options: OpenRepositoryOptions): Promise<void> {
  const dir = join(options.trust.keysDir, 'metadata');
  const offline = new DirectoryMetadataStore(dir);
  const latest = await loadLatestRoot(offline).catch((error: unknown) => {
    options.logger.warn(`ignoring the root metadata in ${dir}: ${(error as Error).message}`);
    return undefined;
  });
  if (!latest) return;
  const stored = (await loadLatestRoot(options.metadataStore))?.signed.version ?? 0;
  if (latest.signed.version <= stored) return;
  const files: Array<[string, Buffer]> = [];
  for (let version = stored + 1; version <= latest.signed.version; version++) {
    const name = metadataFileName('root', version);
    const bytes = await offline.read(name);
    if (!bytes) throw new TrustKeysError(`${join(dir, name)} is missing: clients walk the root chain one version at a time`);
    files.push([name, bytes]);
  }
  for (const [name, bytes] of files) await options.metadataStore.write(name, bytes);
  await options.metadataStore.write('root.json', files[files.length - 1][1]);
  options.logger.log(`imported TUF root v${stored + 1}..v${latest.signed.version} from ${dir}`);
}

/** Root v1 of a repository the publisher creates: every key given, all required. */
function rolesOf(signers: OnlineSigners, rootSigners: readonly Signer[]): Record<RoleName, RoleKeys> {
  const all = (list: readonly Signer[]): RoleKeys => ({ keys: list.map((signer) => signer.publicKey), threshold: list.length });
  return { root: all(rootSigners), targets: all(signers.targets), snapshot: all(signers.snapshot), timestamp: all(signers.timestamp) };
}
