import { TrustError } from './trust-error';

/** One file of a release, as the agent verifies it after the swarm download. */
export interface ReleaseFile {
  /** `/`-separated, relative to the release root. */
  readonly path: string;
  /** Lower-case hex SHA-256 of the file. */
  readonly sha256: string;
  readonly size: number;
}

/** The signed `custom` field of a release's target (its .torrent file or manifest). */
export interface ReleaseTargetCustom {
  readonly product: string;
  readonly version: string;
  readonly channel: string;
  /** Hex, 40 digits; null for a v2-only torrent. */
  readonly infoHashV1: string | null;
  /** Hex, 64 digits; null for a v1-only torrent. */
  readonly infoHashV2: string | null;
  readonly files: readonly ReleaseFile[];
}

/** A plain JSON object for TargetInput.custom; the inverse of parseReleaseTargetCustom. */
export function releaseCustom(release: ReleaseTargetCustom): { [key: string]: string | null | { path: string; sha256: string; size: number }[] } {
  parseReleaseTargetCustom(release);
  return {
    product: release.product,
    version: release.version,
    channel: release.channel,
    infoHashV1: release.infoHashV1,
    infoHashV2: release.infoHashV2,
    files: release.files.map((file) => ({ path: file.path, sha256: file.sha256, size: file.size })),
  };
}

/** Validates a target's custom field as a release; TrustError('invalid-metadata') says which field is wrong. */
export function parseReleaseTargetCustom(custom: unknown, target = 'target'): ReleaseTargetCustom {
  const fail = (message: string): never => {
    throw new TrustError('invalid-metadata', `${target}: custom.${message}`);
  };
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return fail(' is not an object');
  const fields = custom as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value.length === 0 || value.length > 256) return fail(`${name} must be a non-empty string`);
    return value;
  };
  const hash = (name: string, digits: number): string | null => {
    const value = fields[name];
    if (value === null) return null;
    if (typeof value !== 'string' || !new RegExp(`^[0-9a-f]{${digits}}$`).test(value)) return fail(`${name} must be ${digits} lower-case hex digits or null`);
    return value;
  };
  const infoHashV1 = hash('infoHashV1', 40);
  const infoHashV2 = hash('infoHashV2', 64);
  if (infoHashV1 === null && infoHashV2 === null) fail('infoHashV1 and infoHashV2 are both null');
  if (!Array.isArray(fields.files)) return fail('files must be an array');
  const files = fields.files.map((file: unknown, index): ReleaseFile => {
    const entry = (typeof file === 'object' && file !== null ? file : {}) as Record<string, unknown>;
    const { path, sha256, size } = entry;
    if (typeof path !== 'string' || path === '' || path.startsWith('/') || path.split('/').some((segment) => segment === '' || segment === '.' || segment === '..') || path.includes('\\') || path.includes('\0')) {
      return fail(`files[${index}].path must be a relative path without '.', '..' or empty segments`);
    }
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) return fail(`files[${index}].sha256 must be 64 lower-case hex digits`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return fail(`files[${index}].size must be a non-negative integer`);
    return { path, sha256, size };
  });
  return { product: text('product'), version: text('version'), channel: text('channel'), infoHashV1, infoHashV2, files };
}
