import { createHash } from 'node:crypto';
import { MetaFile, Metadata, MetadataKind, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import type { MetadataStore } from '../store/metadata-store';
import { TrustError } from '../trust-error';
import type { RoleName } from './roles';

export const SPEC_VERSION = '1.0.31';

type AnyMetadata = Metadata<Root> | Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>;

/** Consistent snapshots: every role but timestamp is published as `<version>.<role>.json`. */
export function metadataFileName(role: RoleName, version: number): string {
  return role === 'timestamp' ? 'timestamp.json' : `${version}.${role}.json`;
}

/** The file bytes; signatures cover the canonical form of `signed`, so the layout here is free. */
export function serializeMetadata(metadata: AnyMetadata): Buffer {
  return Buffer.from(`${JSON.stringify(metadata.toJSON(), undefined, 1)}\n`);
}

/** What snapshot says about a targets file and timestamp about a snapshot file. */
export function describeFile(version: number, bytes: Uint8Array): MetaFile {
  return new MetaFile({ version, length: bytes.length, hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } });
}

export function parseMetadata(kind: MetadataKind.Root, bytes: Uint8Array, source: string): Metadata<Root>;
export function parseMetadata(kind: MetadataKind.Targets, bytes: Uint8Array, source: string): Metadata<Targets>;
export function parseMetadata(kind: MetadataKind.Snapshot, bytes: Uint8Array, source: string): Metadata<Snapshot>;
export function parseMetadata(kind: MetadataKind.Timestamp, bytes: Uint8Array, source: string): Metadata<Timestamp>;
export function parseMetadata(kind: MetadataKind, bytes: Uint8Array, source: string): AnyMetadata {
  try {
    // The overloads of fromJSON want a literal kind; the switch keeps them apart.
    const data = JSON.parse(Buffer.from(bytes).toString('utf8'));
    switch (kind) {
      case MetadataKind.Root:
        return Metadata.fromJSON(MetadataKind.Root, data);
      case MetadataKind.Targets:
        return Metadata.fromJSON(MetadataKind.Targets, data);
      case MetadataKind.Snapshot:
        return Metadata.fromJSON(MetadataKind.Snapshot, data);
      case MetadataKind.Timestamp:
        return Metadata.fromJSON(MetadataKind.Timestamp, data);
    }
  } catch (error) {
    throw new TrustError('invalid-metadata', `${source} is not valid ${kind} metadata: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * The newest root: `root.json` (rewritten on every rotation) or `1.root.json`, then any `<n+1>.root.json`
 * written after it (a rotation interrupted before it rewrote root.json). Undefined for an empty store.
 */
export async function loadLatestRoot(store: MetadataStore): Promise<Metadata<Root> | undefined> {
  const bytes = (await store.read('root.json')) ?? (await store.read('1.root.json'));
  if (!bytes) return undefined;
  let root = parseMetadata(MetadataKind.Root, bytes, 'root.json');
  for (;;) {
    const name = metadataFileName('root', root.signed.version + 1);
    const next = await store.read(name);
    if (!next) return root;
    root = parseMetadata(MetadataKind.Root, next, name);
  }
}

export async function readRequired(store: MetadataStore, name: string): Promise<Buffer> {
  const bytes = await store.read(name);
  if (!bytes) throw new TrustError('repository-state', `the repository has no ${name}, which newer metadata refers to`);
  return bytes;
}
