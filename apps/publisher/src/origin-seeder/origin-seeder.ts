import type { Session, Torrent } from '@seedfleet/engine';
import { type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import type { ObjectStore } from '@seedfleet/storage';
import type { ReleaseCatalog } from '../releases-downloads/release-catalog';
import { releaseKeys, type StoredRelease } from '../releases/release.model';
import { ObjectStorePieceStore } from './object-store-piece-store';
import type { ReadLimiter } from './read-limiter';

export interface SeederLog {
  log(message: string): void;
  warn(message: string): void;
}

export interface OriginSeederOptions {
  readonly session: Session;
  readonly catalog: ReleaseCatalog;
  readonly objects: ObjectStore;
  /** The publisher's own tracker, with the origin's passkey: `<PUBLIC_URL>/announce/<passkey>`. */
  readonly announceUrl: string;
  readonly limiter: ReadLimiter;
  readonly log: SeederLog;
  /** Epoch ms (default Date.now). */
  readonly clock?: () => number;
  /**
   * BEP 16 super-seeding (default true): peers learn our pieces one at a time and fetch each from each other
   * once one of them has it, so the origin uploads each piece about once rather than to every fast agent.
   */
  readonly superSeed?: boolean;
}

/** Whole pieces kept per torrent for seeding: a fleet asks for the same pieces at about the same time. */
const READ_CACHE_BYTES = 8 * 1024 * 1024;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 15 * 60_000;

/**
 * Keeps the engine session seeding exactly the ready releases: `refresh()` adds releases that became
 * ready and stops those that are no longer (retired, deleted). A release that fails (its torrent cannot be
 * read, its objects went missing) is dropped and tried again later with backoff. Peer input never reaches
 * here: the engine turns it into disconnects.
 */
export class OriginSeeder {
  private readonly seeding = new Map<string, Torrent>();
  private readonly failures = new Map<string, { attempts: number; retryAt: number }>();
  private readonly clock: () => number;
  private refreshing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: OriginSeederOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Release ids being seeded now. */
  get releaseIds(): string[] {
    return [...this.seeding.keys()];
  }

  torrentOf(releaseId: string): Torrent | undefined {
    return this.seeding.get(releaseId);
  }

  /** Rescans the release records; concurrent calls share one scan. */
  refresh(): Promise<void> {
    this.refreshing ??= this.scan().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.refreshing?.catch(() => undefined);
    await Promise.all([...this.seeding.values()].map((torrent) => torrent.stop()));
    this.seeding.clear();
  }

  private async scan(): Promise<void> {
    if (this.closed) return;
    const releases = await this.options.catalog.list();
    const ready = new Map(releases.filter((release) => release.status === 'ready').map((release) => [release.id, release]));
    let added = 0;
    let removed = 0;
    for (const [id, torrent] of this.seeding) {
      if (ready.has(id)) continue;
      this.seeding.delete(id);
      await torrent.stop();
      removed++;
    }
    for (const [id, release] of ready) {
      if (this.closed) return;
      if (this.seeding.has(id) || (this.failures.get(id)?.retryAt ?? 0) > this.clock()) continue;
      if (await this.add(release)) added++;
    }
    for (const id of this.failures.keys()) if (!ready.has(id)) this.failures.delete(id);
    if (added > 0 || removed > 0) this.options.log.log(`seeding ${this.seeding.size} release(s) (+${added}, -${removed})`);
  }

  private async add(release: StoredRelease): Promise<boolean> {
    try {
      const bytes = await this.options.catalog.torrent(release.id);
      if (bytes === undefined) throw new Error('its release.torrent is missing from storage');
      const metainfo = parseTorrent(bytes);
      const store = new ObjectStorePieceStore({ metainfo, objects: this.options.objects, keyOf: keyMapper(release, metainfo), limiter: this.options.limiter });
      const torrent = await this.options.session.add({
        // Announce only to our own tracker with the origin's passkey (the torrent's URL holds a placeholder);
        // the origin is the web seed's source already, so it never uses the url-list itself. It joins the
        // v1 swarm of the hybrid only: in both swarms, libtorrent 2.0.8 learns it from the v1 and the v2
        // announce, dials it twice, and both connections end as duplicates with no redial for minutes
        // (interop (b) failed 4 of 4 runs that way, passed 4 of 4 with v1 only). v2-only clients keep the web seed.
        metainfo: { ...metainfo, announce: [], urlList: [], infoHashV2: null },
        trackers: [[this.options.announceUrl]],
        store,
        seedOnly: true,
        readCacheBytes: READ_CACHE_BYTES,
        superSeed: this.options.superSeed ?? false,
        // A fleet's (private) release: its agents take turns rather than trade tit-for-tat, and so does the origin.
        chokeMode: metainfo.private ? 'cooperative' : undefined,
      });
      torrent.on('error', (error) => this.failed(release.id, torrent, error));
      this.seeding.set(release.id, torrent);
      this.failures.delete(release.id);
      return true;
    } catch (error) {
      this.backOff(release.id, error);
      return false;
    }
  }

  private failed(releaseId: string, torrent: Torrent, error: Error): void {
    if (this.seeding.get(releaseId) !== torrent) return;
    this.seeding.delete(releaseId);
    this.backOff(releaseId, error);
    void torrent.stop();
  }

  private backOff(releaseId: string, error: unknown): void {
    const attempts = (this.failures.get(releaseId)?.attempts ?? 0) + 1;
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1));
    this.failures.set(releaseId, { attempts, retryAt: this.clock() + delay });
    this.options.log.warn(`release ${releaseId} cannot be seeded (attempt ${attempts}, next in ${Math.round(delay / 1000)} s): ${(error as Error)?.message ?? String(error)}`);
  }
}

/**
 * Torrent file -> object key. Multi-file: the path below the torrent name is the release file's path.
 * Single-file: the torrent's one file is the release's one file. Every data file must be a release file of
 * the same size, or the release is refused (the record and the torrent disagree).
 */
export function keyMapper(release: StoredRelease, metainfo: Metainfo): (fileIndex: number) => string {
  const byPath = new Map(release.files.map((file) => [file.path, file]));
  const dataFiles = metainfo.files.filter((file) => !file.pad);
  const keys = metainfo.files.map((file) => {
    if (file.pad || file.length === 0) return '';
    const releaseFile = dataFiles.length === 1 && release.files.length === 1 ? release.files[0] : byPath.get(file.path.join('/'));
    if (releaseFile === undefined || releaseFile.size !== file.length) {
      throw new Error(`torrent file ${JSON.stringify(file.path.join('/'))} (${file.length} bytes) is not a file of the release record`);
    }
    return releaseKeys.file(release.id, releaseFile.path);
  });
  return (fileIndex) => keys[fileIndex];
}
