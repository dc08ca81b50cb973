import { canonicalize } from '@tufjs/canonical-json';
import { Metadata, Signature, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import type { Signer } from '../keys/signer';
import { TrustError } from '../trust-error';
import type { RoleName } from './roles';

type AnyMetadata = Metadata<Root> | Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>;

/**
 * Replaces the signatures of `metadata` with those of every signer whose key `role` lists in any of
 * `authorities` (one root normally; the old and the new root for a root rotation, which both must accept
 * it), then checks each authority's threshold is met by valid signatures.
 */
export async function signRole(metadata: AnyMetadata, role: RoleName, authorities: readonly Root[], signers: readonly Signer[]): Promise<void> {
  const allowed = new Set(authorities.flatMap((root) => root.roles[role]?.keyIDs ?? []));
  const payload = Buffer.from(canonicalize(metadata.signed.toJSON()));
  const signatures: Record<string, Signature> = {};
  for (const signer of signers) {
    const { keyId } = signer.publicKey;
    if (!allowed.has(keyId) || signatures[keyId]) continue;
    const signature = Buffer.from(await signer.sign(payload)).toString('hex');
    signatures[keyId] = new Signature({ keyID: keyId, sig: signature });
  }
  metadata.signatures = signatures;
  for (const root of authorities) {
    const roleKeys = root.roles[role];
    const present = roleKeys.keyIDs.filter((keyId) => signatures[keyId]).length;
    if (present < roleKeys.threshold) {
      throw new TrustError('threshold', `${role} v${metadata.signed.version} needs ${roleKeys.threshold} signature(s) from root v${root.version}'s ${role} keys (${roleKeys.keyIDs.join(', ')}); signers for ${present} of them were given`);
    }
    try {
      new Metadata(root).verifyDelegate(role, metadata);
    } catch (error) {
      throw new TrustError('bad-signature', `${role} v${metadata.signed.version}: a signer produced a signature that does not verify (${(error as Error).message})`, { cause: error });
    }
  }
}

/** Which keys of a role the given signers cover, for validating configuration before anything is signed. */
export function missingSigners(root: Root, role: RoleName, signers: readonly Signer[]): string | undefined {
  const roleKeys = root.roles[role];
  const have = new Set(signers.map((signer) => signer.publicKey.keyId));
  const covered = roleKeys.keyIDs.filter((keyId) => have.has(keyId)).length;
  if (covered >= roleKeys.threshold) return undefined;
  return `${role} needs ${roleKeys.threshold} of the keys ${roleKeys.keyIDs.join(', ')} (root v${root.version}); the signers given cover ${covered}`;
}
