import { Metadata, Snapshot, Targets, Timestamp, type MetaFile, type Root, type TargetFile } from '@tufjs/models';
import type { Signer } from '../keys/signer';
import type { MetadataStore } from '../store/metadata-store';
import { TrustError } from '../trust-error';
import { describeFile, metadataFileName, serializeMetadata, SPEC_VERSION } from './metadata-files';
import { loadPublishedState, type OnlineState, type PublishedState } from './published-state';
import { expiryPolicy, expiryString, ONLINE_ROLES, type ExpiryPolicy, type OnlineRoleName, type RoleName } from './roles';
import { missingSigners, signRole } from './sign-metadata';
import { consistentTargetName, toTargetFile, type TargetInput } from './target-input';

export type OnlineSigners = Readonly<Record<OnlineRoleName, readonly Signer[]>>;

export interface TufRepositoryOptions {
  /** Metadata files (`<n>.root.json`, `<n>.targets.json`, `<n>.snapshot.json`, `timestamp.json`). */
  readonly store: MetadataStore;
  /** Where addTargets stores target bytes it is given, as `<dir>/<sha256>.<base>`; without it, the caller
   * serves the bytes at that name itself. */
  readonly targetStore?: MetadataStore;
  /** Signers for the online roles; each role's threshold must be reachable with the latest root. */
  readonly signers: OnlineSigners;
  readonly expiry?: Partial<ExpiryPolicy>;
  readonly now?: () => Date;
}

export interface RoleStatus {
  readonly version: number;
  readonly expires: string;
}

export type RepositoryStatus = Readonly<Record<RoleName, RoleStatus>>;

export interface TargetDescription {
  readonly name: string;
  readonly length: number;
  readonly hashes: Readonly<Record<string, string>>;
  readonly custom: Readonly<Record<string, unknown>>;
}

export interface RefreshResult {
  /** The roles re-signed (with a new version); empty when nothing was due. */
  readonly refreshed: readonly OnlineRoleName[];
  readonly status: RepositoryStatus;
}

/**
 * The publisher side of TUF: adds and removes targets and keeps timestamp (and snapshot, targets) fresh,
 * signing with online keys only. Root is made offline (initRepository, rotateRoot, the `seedfleet keys` CLI).
 *
 * Every change writes targets, then snapshot, then timestamp, each as a new version, so a client reading
 * timestamp.json only ever finds files that already exist. Operations on one instance run one at a time;
 * several publisher replicas must hold a lock around calls (each reads the current state from the store).
 */
export class TufRepository {
  private readonly expiry: ExpiryPolicy;
  private readonly now: () => Date;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: TufRepositoryOptions) {
    this.expiry = expiryPolicy(options.expiry);
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Opens a repository whose root exists; publishes the first targets, snapshot and timestamp when only a
   * root is there (a root made offline by `seedfleet keys init`). Fails with 'threshold' when the signers
   * cannot sign for the latest root.
   */
  static async open(options: TufRepositoryOptions): Promise<TufRepository> {
    const repository = new TufRepository(options);
    await repository.serialized(async () => {
      const { root, online } = await repository.loadSignable();
      if (!online) await repository.publish(root.signed, undefined, { targets: {} });
    });
    return repository;
  }

  /** Adds targets (replacing any of the same name) in one new targets version; with none, changes nothing. */
  async addTargets(inputs: readonly TargetInput[]): Promise<RepositoryStatus> {
    const files = inputs.map((input) => ({ input, file: toTargetFile(input) }));
    const duplicate = files.find(({ file }, index) => files.findIndex((other) => other.file.path === file.path) !== index);
    if (duplicate) throw new TrustError('invalid-argument', `${duplicate.file.path} is given twice`);
    if (files.length === 0) return this.status();
    return this.exclusive(async (root, online) => {
      for (const { input, file } of files) {
        if ('bytes' in input && this.options.targetStore) await this.options.targetStore.write(consistentTargetName(file.path, file.hashes.sha256), input.bytes);
      }
      const targets = { ...online.targets.signed.targets };
      for (const { file } of files) targets[file.path] = file;
      return this.statusOf(root, await this.publish(root.signed, online, { targets }));
    });
  }

  /** Removes targets in one new targets version; TrustError('not-found') (and no change) if one is not listed. */
  async removeTargets(names: readonly string[]): Promise<RepositoryStatus> {
    if (names.length === 0) return this.status();
    return this.exclusive(async (root, online) => {
      const missing = names.filter((name) => !Object.hasOwn(online.targets.signed.targets, name));
      if (missing.length > 0) throw new TrustError('not-found', `not a target: ${missing.join(', ')}`);
      const targets = { ...online.targets.signed.targets };
      for (const name of names) delete targets[name];
      return this.statusOf(root, await this.publish(root.signed, online, { targets }));
    });
  }

  /**
   * For a timer: re-signs timestamp when it expires within `ifExpiringWithinMs` (default half its lifetime);
   * snapshot and targets when they expire within that window or have less than half their lifetime left.
   * A role whose signatures the latest root no longer accepts (its keys were rotated) is re-signed too.
   */
  refreshTimestamp(options: { ifExpiringWithinMs?: number } = {}): Promise<RefreshResult> {
    const window = options.ifExpiringWithinMs ?? this.expiry.timestamp / 2;
    if (!Number.isFinite(window) || window < 0) return Promise.reject(new TrustError('invalid-argument', 'ifExpiringWithinMs must be a non-negative number of milliseconds'));
    return this.exclusive(async (root, online) => {
      const now = this.now().getTime();
      const due = (role: OnlineRoleName, minimumRemainingMs: number): boolean => {
        const metadata = online[role];
        if (Date.parse(metadata.signed.expires) - now <= minimumRemainingMs) return true;
        try {
          root.verifyDelegate(role, metadata);
          return false;
        } catch {
          return true;
        }
      };
      const targetsDue = due('targets', Math.max(window, this.expiry.targets / 2));
      const snapshotDue = targetsDue || due('snapshot', Math.max(window, this.expiry.snapshot / 2));
      if (!snapshotDue && !due('timestamp', window)) return { refreshed: [], status: this.statusOf(root, online) };
      const next = await this.publish(root.signed, online, { targets: targetsDue ? online.targets.signed.targets : undefined, snapshot: snapshotDue });
      const refreshed = ONLINE_ROLES.filter((role) => next[role].signed.version !== online[role].signed.version);
      return { refreshed, status: this.statusOf(root, next) };
    });
  }

  /** Re-signs targets, snapshot and timestamp as new versions (e.g. after an online key rotation). */
  republish(): Promise<RepositoryStatus> {
    return this.exclusive(async (root, online) => this.statusOf(root, await this.publish(root.signed, online, { targets: online.targets.signed.targets })));
  }

  listTargets(): Promise<TargetDescription[]> {
    return this.exclusive(async (_root, online) =>
      Object.values(online.targets.signed.targets)
        .map((file) => ({ name: file.path, length: file.length, hashes: { ...file.hashes }, custom: file.custom }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  }

  status(): Promise<RepositoryStatus> {
    return this.exclusive(async (root, online) => this.statusOf(root, online));
  }

  /** Runs `operation` on the current published state, after every earlier operation of this instance. */
  private exclusive<T>(operation: (root: Metadata<Root>, online: OnlineState) => Promise<T>): Promise<T> {
    return this.serialized(async () => {
      const { root, online } = await this.loadSignable();
      if (!online) throw new TrustError('repository-state', 'the repository has a root but no timestamp yet; open it with TufRepository.open');
      return operation(root, online);
    });
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.tail.then(operation);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async loadSignable(): Promise<PublishedState> {
    const state = await loadPublishedState(this.options.store);
    for (const role of ONLINE_ROLES) {
      const problem = missingSigners(state.root.signed, role, this.options.signers[role]);
      if (problem) throw new TrustError('threshold', `cannot sign: ${problem}`);
    }
    return state;
  }

  /** Writes a new targets version (when `targets` is given), a new snapshot (when targets changed or
   * `snapshot` is set), then always a new timestamp. */
  private async publish(root: Root, current: OnlineState | undefined, change: { targets?: Record<string, TargetFile>; snapshot?: boolean }): Promise<OnlineState> {
    const now = this.now();
    const { signers } = this.options;
    const nextVersion = (metadata: { signed: { version: number } } | undefined) => (metadata?.signed.version ?? 0) + 1;

    let targets = current?.targets;
    let targetsMeta = current?.snapshot.signed.meta['targets.json'];
    if (change.targets || !targets || !targetsMeta) {
      targets = new Metadata(new Targets({ version: nextVersion(targets), specVersion: SPEC_VERSION, expires: expiryString(now, this.expiry.targets), targets: { ...change.targets } }));
      targetsMeta = await this.write(targets, 'targets', root, signers.targets);
    }
    let snapshot = current?.snapshot;
    let snapshotMeta = current?.timestamp.signed.snapshotMeta;
    if (change.targets || change.snapshot || !snapshot || !snapshotMeta) {
      snapshot = new Metadata(new Snapshot({ version: nextVersion(snapshot), specVersion: SPEC_VERSION, expires: expiryString(now, this.expiry.snapshot), meta: { 'targets.json': targetsMeta } }));
      snapshotMeta = await this.write(snapshot, 'snapshot', root, signers.snapshot);
    }
    const timestamp = new Metadata(new Timestamp({ version: nextVersion(current?.timestamp), specVersion: SPEC_VERSION, expires: expiryString(now, this.expiry.timestamp), snapshotMeta }));
    await this.write(timestamp, 'timestamp', root, signers.timestamp);
    return { targets, snapshot, timestamp };
  }

  /** Signs and stores one role's metadata; returns what its parent role records about the file. */
  private async write(metadata: Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>, role: OnlineRoleName, root: Root, signers: readonly Signer[]): Promise<MetaFile> {
    await signRole(metadata, role, [root], signers);
    const bytes = serializeMetadata(metadata);
    await this.options.store.write(metadataFileName(role, metadata.signed.version), bytes);
    return describeFile(metadata.signed.version, bytes);
  }

  private statusOf(root: Metadata<Root>, online: OnlineState): RepositoryStatus {
    const describe = (metadata: { signed: { version: number; expires: string } }): RoleStatus => ({ version: metadata.signed.version, expires: metadata.signed.expires });
    return { root: describe(root), targets: describe(online.targets), snapshot: describe(online.snapshot), timestamp: describe(online.timestamp) };
  }
}
