import { MetadataKind, type Metadata, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import type { MetadataStore } from '../store/metadata-store';
import { TrustError } from '../trust-error';
import { loadLatestRoot, metadataFileName, parseMetadata, readRequired } from './metadata-files';

/** The metadata the repository currently publishes for the online roles. */
export interface OnlineState {
  readonly targets: Metadata<Targets>;
  readonly snapshot: Metadata<Snapshot>;
  readonly timestamp: Metadata<Timestamp>;
}

export interface PublishedState {
  readonly root: Metadata<Root>;
  /** Undefined until the online roles are first published (a root made offline, nothing else yet). */
  readonly online?: OnlineState;
}

/** Reads what clients would see: timestamp.json, the snapshot it names, the targets that snapshot names. */
export async function loadPublishedState(store: MetadataStore): Promise<PublishedState> {
  const root = await loadLatestRoot(store);
  if (!root) throw new TrustError('repository-state', 'the repository has no root metadata (run `seedfleet keys init` or initRepository first)');
  if (!root.signed.consistentSnapshot) throw new TrustError('repository-state', 'the root does not enable consistent snapshots, which this repository requires');
  const timestampBytes = await store.read('timestamp.json');
  if (!timestampBytes) return { root };
  const timestamp = parseMetadata(MetadataKind.Timestamp, timestampBytes, 'timestamp.json');
  const snapshotName = metadataFileName('snapshot', timestamp.signed.snapshotMeta.version);
  const snapshot = parseMetadata(MetadataKind.Snapshot, await readRequired(store, snapshotName), snapshotName);
  const targetsMeta = snapshot.signed.meta['targets.json'];
  if (!targetsMeta) throw new TrustError('invalid-metadata', `${snapshotName} does not list targets.json`);
  const targetsName = metadataFileName('targets', targetsMeta.version);
  const targets = parseMetadata(MetadataKind.Targets, await readRequired(store, targetsName), targetsName);
  return { root, online: { targets, snapshot, timestamp } };
}
