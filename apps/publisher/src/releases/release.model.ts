/**
 * The release record (GET /api/releases/:id) and where a release's objects live in the ObjectStore.
 * Shared by the release API, the build worker and the serving modules (web seed, downloads, origin seeder).
 */
export type ReleaseStatus = 'uploading' | 'queued' | 'building' | 'ready' | 'failed' | 'retired';

export const RELEASE_STATUSES: readonly ReleaseStatus[] = ['uploading', 'queued', 'building', 'ready', 'failed', 'retired'];

export interface ReleaseFile {
  /** `/`-separated path below the torrent name, validated (no `..`, no absolute, no empty segment). */
  readonly path: string;
  readonly size: number;
  /** Lower-case hex SHA-256 of the stored bytes. */
  readonly sha256: string;
}

export interface BuildProgress {
  /** 1 for the first run of the build job, incremented on every retry. */
  readonly attempt: number;
  readonly phase: 'hashing' | 'writing' | 'done';
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
}

/** What is stored under meta/releases/<id>.json; URLs are derived from PUBLIC_URL when read. */
export interface StoredRelease {
  readonly id: string;
  readonly product: string;
  readonly version: string;
  readonly channel: string;
  readonly public: boolean;
  readonly status: ReleaseStatus;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly error?: string;
  readonly build?: BuildProgress;
  /** Sorted by path. */
  readonly files: readonly ReleaseFile[];
  /** The torrent's `name`: `<product>-<version>`, safe as a path component. */
  readonly torrentName: string;
  /** Hex, after a successful build. */
  readonly infoHashV1?: string;
  readonly infoHashV2?: string;
  readonly pieceLength?: number;
}

export interface Release extends StoredRelease {
  readonly torrentUrl: string;
  /** After a successful build. */
  readonly magnet?: string;
  readonly manifestUrl: string;
  /** The torrent's url-list entry: `${PUBLIC_URL}/webseed/<id>/`. */
  readonly webSeedUrl: string;
}

/** manifest.json written next to release.torrent by the build. */
export interface ReleaseManifest {
  readonly product: string;
  readonly version: string;
  readonly channel: string;
  readonly releaseId: string;
  readonly infoHashV1: string;
  readonly infoHashV2: string;
  readonly name: string;
  readonly pieceLength: number;
  readonly files: readonly ReleaseFile[];
  readonly createdAt: string;
}

export interface ReleaseFilter {
  readonly product?: string;
  readonly channel?: string;
  readonly status?: ReleaseStatus;
}

/** Object keys of a release (the storage layout in the publisher contract). */
export const releaseKeys = {
  filesPrefix: (releaseId: string): string => `releases/${releaseId}/files/`,
  file: (releaseId: string, path: string): string => `releases/${releaseId}/files/${path}`,
  torrent: (releaseId: string): string => `releases/${releaseId}/release.torrent`,
  manifest: (releaseId: string): string => `releases/${releaseId}/manifest.json`,
  record: (releaseId: string): string => `meta/releases/${releaseId}.json`,
  recordsPrefix: 'meta/releases/',
};

/** `rel_` followed by 26 lower-case Crockford base32 characters (48-bit time, 80 random bits). */
export const RELEASE_ID_PATTERN = /^rel_[0-9a-hjkmnp-tv-z]{26}$/;
