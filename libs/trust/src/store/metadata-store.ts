import { TrustError } from '../trust-error';

/**
 * Where the repository keeps its files: metadata (`1.root.json`, `timestamp.json`, ...) and, when given a
 * second store, target files. The publisher backs it with its ObjectStore under `tuf/`; this library has a
 * memory and a directory adapter, which share one conformance suite.
 *
 * Names are `/`-separated relative paths; adapters reject anything else with TrustError('invalid-argument').
 * A write replaces the whole file atomically: a reader sees the old bytes or the new ones.
 */
export interface MetadataStore {
  /** The bytes, or undefined when there is no such file. */
  read(name: string): Promise<Buffer | undefined>;
  write(name: string, bytes: Uint8Array): Promise<void>;
}

const SEGMENT = /^[A-Za-z0-9_+=@,~-][A-Za-z0-9._+=@,~-]*$/;

/** Throws unless `name` is a safe relative path: no `..`, no absolute paths, no hidden or empty segments. */
export function assertStoreName(name: string): void {
  const segments = name.split('/');
  if (name.length === 0 || name.length > 1024 || !segments.every((segment) => SEGMENT.test(segment))) {
    throw new TrustError('invalid-argument', `'${name}' is not a valid file name (relative path of [A-Za-z0-9._+=@,~-] segments, none starting with '.')`);
  }
}
