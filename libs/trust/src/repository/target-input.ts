import { createHash } from 'node:crypto';
import { TargetFile } from '@tufjs/models';
import { assertStoreName } from '../store/metadata-store';
import { TrustError } from '../trust-error';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A file to list in targets metadata: its bytes (hashed here), or its length and hashes computed elsewhere. */
export type TargetInput = {
  /** The TUF target path, e.g. `releases/app/1.4.0/app.torrent`. */
  readonly name: string;
  /** Signed along with the hashes; a release's is a ReleaseTargetCustom. */
  readonly custom?: { readonly [key: string]: JsonValue };
} & ({ readonly bytes: Uint8Array } | { readonly length: number; readonly hashes: Readonly<Record<string, string>> });

const HASH_HEX: Readonly<Record<string, RegExp>> = { sha256: /^[0-9a-f]{64}$/, sha512: /^[0-9a-f]{128}$/ };

/**
 * Where a target's bytes live with consistent snapshots: `<dir>/<sha256>.<base>` (the form tuf-js fetches),
 * so a new release of the same name never overwrites bytes a client may be downloading.
 */
export function consistentTargetName(name: string, sha256: string): string {
  const slash = name.lastIndexOf('/');
  return `${name.slice(0, slash + 1)}${sha256}.${name.slice(slash + 1)}`;
}

export function toTargetFile(input: TargetInput): TargetFile {
  assertStoreName(input.name);
  if (input.custom !== undefined) assertCanonicalJson(input.custom, `${input.name}: custom`);
  const unrecognizedFields: Record<string, JsonValue> = input.custom === undefined ? {} : { custom: input.custom as JsonValue };
  if ('bytes' in input) {
    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return new TargetFile({ path: input.name, length: input.bytes.length, hashes: { sha256 }, unrecognizedFields });
  }
  if (!Number.isSafeInteger(input.length) || input.length < 0) throw new TrustError('invalid-argument', `${input.name}: length must be a non-negative integer`);
  for (const [algorithm, hex] of Object.entries(input.hashes)) {
    const pattern = HASH_HEX[algorithm];
    if (!pattern) throw new TrustError('invalid-argument', `${input.name}: unsupported hash algorithm '${algorithm}' (sha256, sha512)`);
    if (!pattern.test(hex)) throw new TrustError('invalid-argument', `${input.name}: ${algorithm} must be lower-case hex of the right length`);
  }
  const { sha256, ...others } = input.hashes;
  if (sha256 === undefined) throw new TrustError('invalid-argument', `${input.name}: a sha256 hash is required`);
  // sha256 first: clients name the consistent target file after the first hash listed.
  return new TargetFile({ path: input.name, length: input.length, hashes: { sha256, ...others }, unrecognizedFields });
}

/** Canonical JSON (what TUF signs) has no floats, no undefined and no non-plain objects. */
export function assertCanonicalJson(value: unknown, path: string): asserts value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TrustError('invalid-argument', `${path}: ${value} is not an integer (signed metadata holds integers only)`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertCanonicalJson(item, `${path}[${index}]`));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertCanonicalJson(item, `${path}.${key}`);
    return;
  }
  throw new TrustError('invalid-argument', `${path}: ${typeof value} values cannot be signed`);
}
