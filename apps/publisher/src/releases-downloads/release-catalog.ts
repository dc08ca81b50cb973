import type { ObjectStore } from '@seedfleet/storage';
import { RELEASE_ID_PATTERN, RELEASE_STATUSES, releaseKeys, type StoredRelease } from '../releases/release.model';
import { readSmallObject } from '../storage/small-object';

export class ReleaseRecordError extends Error {
  override readonly name = 'ReleaseRecordError';
}

export interface ReleaseCatalogOptions {
  /** How long a record read from storage is used before it is read again (default 2 s): a retire shows within it. */
  readonly ttlMs?: number;
  /** Records kept (default 1024). */
  readonly maxRecords?: number;
  /** Bytes of .torrent files kept (default 32 MiB); a ready release's torrent never changes. */
  readonly maxTorrentBytes?: number;
  readonly clock?: () => number;
  /** Told about a record list() could not read (it is skipped, or its last good version used). */
  readonly onUnreadable?: (releaseId: string, error: unknown) => void;
}

const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const MAX_TORRENT_BYTES = 64 * 1024 * 1024;
/** Records modified this recently are read again on every listing (covers clock skew with the store too). */
const RECENT_CHANGE_MS = 60_000;

interface CachedRecord {
  readonly at: number;
  readonly record: Promise<StoredRelease | undefined>;
}

/**
 * Read side of the release records for the serving modules (web seed, downloads, origin seeder): records
 * from `meta/releases/<id>.json`, torrents from `releases/<id>/release.torrent`, the storage layout of the
 * publisher contract. Reads are cached briefly (a web seed request must not cost a storage round trip for
 * the record each time) and concurrent reads of one record share one GET.
 */
export class ReleaseCatalog {
  private readonly records = new Map<string, CachedRecord>();
  private readonly torrents = new Map<string, Buffer>();
  private torrentBytes = 0;
  private readonly ttlMs: number;
  private readonly maxRecords: number;
  private readonly maxTorrentBytes: number;
  private readonly clock: () => number;
  private readonly unreadable: (releaseId: string, error: unknown) => void;
  /** Listing cache: key -> lastModified and the record read then. */
  private readonly listed = new Map<string, { modified: number; size: number; record: StoredRelease }>();

  constructor(
    private readonly store: ObjectStore,
    options: ReleaseCatalogOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 2000;
    this.maxRecords = options.maxRecords ?? 1024;
    this.maxTorrentBytes = options.maxTorrentBytes ?? 32 * 1024 * 1024;
    this.clock = options.clock ?? Date.now;
    this.unreadable = options.onUnreadable ?? (() => undefined);
  }

  /** The record, or undefined for an id that is malformed or unknown. */
  get(id: string): Promise<StoredRelease | undefined> {
    if (!RELEASE_ID_PATTERN.test(id)) return Promise.resolve(undefined);
    const now = this.clock();
    const cached = this.records.get(id);
    if (cached && now - cached.at < this.ttlMs) return cached.record;
    const record = this.read(id);
    // A failed read is not cached: the next request tries again.
    record.catch(() => this.records.get(id)?.record === record && this.records.delete(id));
    this.records.delete(id);
    this.records.set(id, { at: now, record });
    if (this.records.size > this.maxRecords) this.records.delete(this.records.keys().next().value as string);
    return record;
  }

  /** The built .torrent bytes exactly as stored, or undefined when there is none (not built yet). */
  async torrent(id: string): Promise<Buffer | undefined> {
    if (!RELEASE_ID_PATTERN.test(id)) return undefined;
    const cached = this.torrents.get(id);
    if (cached) {
      this.torrents.delete(id);
      this.torrents.set(id, cached);
      return cached;
    }
    const bytes = await readSmallObject(this.store, releaseKeys.torrent(id), MAX_TORRENT_BYTES);
    if (bytes && bytes.length <= this.maxTorrentBytes) {
      this.torrents.set(id, bytes);
      this.torrentBytes += bytes.length;
      for (const [key, value] of this.torrents) {
        if (this.torrentBytes <= this.maxTorrentBytes) break;
        this.torrents.delete(key);
        this.torrentBytes -= value.length;
      }
    }
    return bytes;
  }

  /** manifest.json bytes as stored, or undefined. */
  manifest(id: string): Promise<Buffer | undefined> {
    if (!RELEASE_ID_PATTERN.test(id)) return Promise.resolve(undefined);
    return readSmallObject(this.store, releaseKeys.manifest(id), MAX_RECORD_BYTES);
  }

  /**
   * Every release record in storage. Only records whose object changed since the last listing (or within
   * the last minute) are read again, so a periodic scan costs one LIST plus the records that moved.
   */
  async list(): Promise<StoredRelease[]> {
    const seen = new Set<string>();
    const records: StoredRelease[] = [];
    for await (const object of this.store.list(releaseKeys.recordsPrefix)) {
      const id = object.key.slice(releaseKeys.recordsPrefix.length).replace(/\.json$/, '');
      if (!RELEASE_ID_PATTERN.test(id) || object.key !== releaseKeys.record(id)) continue;
      seen.add(object.key);
      const modified = object.lastModified.getTime();
      const known = this.listed.get(object.key);
      // S3 keeps Last-Modified to the second: two writes in one second (building, then ready) look alike,
      // so a record changed lately is read again whatever its timestamp says.
      if (known && known.modified === modified && known.size === object.size && this.clock() - modified > RECENT_CHANGE_MS) {
        records.push(known.record);
        continue;
      }
      let record: StoredRelease | undefined;
      try {
        record = await this.read(id);
      } catch (error) {
        // One unreadable record (a torn write on a store without atomic puts, a bad object) must not hide
        // the others: keep what this record said last time, and try it again on the next listing.
        this.unreadable(id, error);
        if (known) records.push(known.record);
        continue;
      }
      if (!record) continue;
      this.listed.set(object.key, { modified, size: object.size, record });
      records.push(record);
    }
    for (const key of this.listed.keys()) if (!seen.has(key)) this.listed.delete(key);
    return records;
  }

  private async read(id: string): Promise<StoredRelease | undefined> {
    const bytes = await readSmallObject(this.store, releaseKeys.record(id), MAX_RECORD_BYTES);
    return bytes === undefined ? undefined : parseStoredRelease(bytes, id);
  }
}

/** A stored record, checked for the fields the serving side relies on (a broken one is a server fault). */
export function parseStoredRelease(bytes: Buffer, id: string): StoredRelease {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ReleaseRecordError(`release record ${id} is not JSON: ${(error as Error).message}`);
  }
  const record = value as Partial<StoredRelease> | null;
  const problem =
    typeof record !== 'object' || record === null
      ? 'not an object'
      : record.id !== id
        ? `id is ${JSON.stringify(record.id)}`
        : !RELEASE_STATUSES.includes(record.status as StoredRelease['status'])
          ? `unknown status ${JSON.stringify(record.status)}`
          : typeof record.torrentName !== 'string' || record.torrentName.length === 0
            ? 'no torrentName'
            : !Array.isArray(record.files) || !record.files.every(isReleaseFile)
              ? 'malformed files'
              : typeof record.public !== 'boolean'
                ? 'no public flag'
                : undefined;
  if (problem !== undefined) throw new ReleaseRecordError(`release record ${id} is malformed: ${problem}`);
  return record as StoredRelease;
}

function isReleaseFile(file: unknown): boolean {
  const candidate = file as { path?: unknown; size?: unknown; sha256?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.path === 'string' &&
    Number.isSafeInteger(candidate.size) &&
    (candidate.size as number) >= 0 &&
    typeof candidate.sha256 === 'string'
  );
}
