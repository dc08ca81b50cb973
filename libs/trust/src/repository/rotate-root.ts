import { Metadata, type Root } from '@tufjs/models';
import type { Signer } from '../keys/signer';
import { fromModelKey, type TufPublicKey } from '../keys/tuf-key';
import type { MetadataStore } from '../store/metadata-store';
import { TrustError } from '../trust-error';
import { buildRoot } from './build-root';
import { loadLatestRoot, metadataFileName, serializeMetadata } from './metadata-files';
import { checkLifetime, DEFAULT_EXPIRY, expiryString, type RoleKeys, type RoleName } from './roles';
import { signRole } from './sign-metadata';

export interface RotateRootOptions {
  readonly store: MetadataStore;
  /** Root signers reaching the threshold of the current root AND of the new one (TUF 5.3.4 and 5.3.5). */
  readonly signers: readonly Signer[];
  /** New keys and threshold for some roles; the others keep theirs. Usually `root`. */
  readonly roles: Partial<Readonly<Record<RoleName, RoleKeys>>>;
  readonly expiresInMs?: number;
  readonly now?: () => Date;
}

export interface RootRotation {
  readonly version: number;
  readonly expires: string;
  /** The file written, `<version>.root.json` (root.json is rewritten with the same bytes). */
  readonly fileName: string;
  readonly roles: Readonly<Record<RoleName, { keyIds: string[]; threshold: number }>>;
}

/**
 * Writes root version n+1 with the given role changes, signed so that a client trusting version n accepts
 * it. When online role keys change, the publisher must re-sign those roles with the new keys afterwards
 * (TufRepository.refreshTimestamp does so on its next run, republish at once).
 */
export async function rotateRoot(options: RotateRootOptions): Promise<RootRotation> {
  const current = await loadLatestRoot(options.store);
  if (!current) throw new TrustError('repository-state', 'the repository has no root metadata to rotate');
  const roles = { ...currentRoles(current.signed), ...options.roles };
  const now = (options.now ?? (() => new Date()))();
  const version = current.signed.version + 1;
  const next = new Metadata(buildRoot(version, expiryString(now, checkLifetime('expiresInMs', options.expiresInMs ?? DEFAULT_EXPIRY.root)), roles));
  await signRole(next, 'root', [current.signed, next.signed], options.signers);
  const bytes = serializeMetadata(next);
  const fileName = metadataFileName('root', version);
  await options.store.write(fileName, bytes);
  await options.store.write('root.json', bytes);
  return { version, expires: next.signed.expires, fileName, roles: describeRoles(next.signed) };
}

export function currentRoles(root: Root): Record<RoleName, RoleKeys> {
  const keysOf = (name: RoleName): TufPublicKey[] => root.roles[name].keyIDs.map((keyId) => {
    const key = root.keys[keyId];
    if (!key) throw new TrustError('invalid-metadata', `root v${root.version} lists key ${keyId} for ${name} without the key itself`);
    return fromModelKey(key);
  });
  const role = (name: RoleName): RoleKeys => ({ keys: keysOf(name), threshold: root.roles[name].threshold });
  return { root: role('root'), targets: role('targets'), snapshot: role('snapshot'), timestamp: role('timestamp') };
}

export function describeRoles(root: Root): Record<RoleName, { keyIds: string[]; threshold: number }> {
  const role = (name: RoleName) => ({ keyIds: [...root.roles[name].keyIDs], threshold: root.roles[name].threshold });
  return { root: role('root'), targets: role('targets'), snapshot: role('snapshot'), timestamp: role('timestamp') };
}
