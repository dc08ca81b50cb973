import { Metadata } from '@tufjs/models';
import type { Signer } from '../keys/signer';
import { TrustError } from '../trust-error';
import { buildRoot } from './build-root';
import { loadLatestRoot, metadataFileName, serializeMetadata } from './metadata-files';
import { expiryPolicy, expiryString, type RoleKeys, type RoleName } from './roles';
import { signRole } from './sign-metadata';
import { TufRepository, type TufRepositoryOptions } from './tuf-repository';

export interface InitRepositoryOptions extends TufRepositoryOptions {
  /** Keys and threshold of every top-level role, written into root v1. */
  readonly roles: Readonly<Record<RoleName, RoleKeys>>;
  /** Enough root signers to reach the root threshold; used once, never kept by the repository. */
  readonly rootSigners: readonly Signer[];
}

/**
 * Creates root v1 (signed by the root keys) and empty targets, snapshot and timestamp v1 (signed by the
 * online keys). Refuses a store that already has a root.
 */
export async function initRepository(options: InitRepositoryOptions): Promise<TufRepository> {
  if (await loadLatestRoot(options.store)) throw new TrustError('repository-state', 'the repository already has root metadata; rotate the root instead of initialising again');
  const now = (options.now ?? (() => new Date()))();
  const root = new Metadata(buildRoot(1, expiryString(now, expiryPolicy(options.expiry).root), options.roles));
  await signRole(root, 'root', [root.signed], options.rootSigners);
  const bytes = serializeMetadata(root);
  await options.store.write(metadataFileName('root', 1), bytes);
  await options.store.write('root.json', bytes);
  return TufRepository.open(options);
}
