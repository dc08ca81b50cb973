import { Root } from '@tufjs/models';
import { toModelKey } from '../keys/tuf-key';
import { TrustError } from '../trust-error';
import { SPEC_VERSION } from './metadata-files';
import type { RoleKeys, RoleName } from './roles';

/** Root metadata (unsigned) listing each role's keys and threshold; always with consistent snapshots. */
export function buildRoot(version: number, expires: string, roles: Readonly<Record<RoleName, RoleKeys>>): Root {
  const keys: Record<string, ReturnType<ReturnType<typeof toModelKey>['toJSON']>> = {};
  const roleEntries: Record<string, { keyids: string[]; threshold: number }> = {};
  for (const [name, role] of Object.entries(roles)) {
    roleEntries[name] = { keyids: uniqueKeyIds(name, role), threshold: checkThreshold(name, role) };
    for (const key of role.keys) keys[key.keyId] = toModelKey(key).toJSON();
  }
  // @tufjs/models does not export Role, so the root is built from its JSON form.
  return Root.fromJSON({ _type: 'root', spec_version: SPEC_VERSION, version, expires, keys, roles: roleEntries, consistent_snapshot: true });
}

function uniqueKeyIds(name: string, role: RoleKeys): string[] {
  const keyIds = role.keys.map((key) => key.keyId);
  if (new Set(keyIds).size !== keyIds.length) throw new TrustError('invalid-argument', `${name}: the same key is listed twice`);
  return keyIds;
}

function checkThreshold(name: string, role: RoleKeys): number {
  if (!Number.isSafeInteger(role.threshold) || role.threshold < 1) throw new TrustError('invalid-argument', `${name}: threshold must be a positive integer`);
  if (role.threshold > role.keys.length) throw new TrustError('invalid-argument', `${name}: threshold ${role.threshold} is more than its ${role.keys.length} key(s)`);
  return role.threshold;
}
