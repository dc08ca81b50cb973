import type { HashPool } from '@seedfleet/hashing';
import type { TorrentVersion } from '../model';

/** One file to put in a torrent; `open()` is called once and must yield exactly `length` bytes. */
export interface CreateSourceFile {
  /** Components below the torrent name. `[]` (and being the only file) makes a single-file torrent. */
  readonly path: readonly string[];
  readonly length: number;
  open(): AsyncIterable<Uint8Array>;
  /** BEP 47 attributes: 'x' executable, 'h' hidden ('l' is implied by symlinkPath, 'p' is ours). */
  readonly attributes?: string;
  /** BEP 47 symlink target (components below the torrent name); such a file has length 0. */
  readonly symlinkPath?: readonly string[];
}

export interface CreateProgress {
  /** File bytes hashed so far (pad files not counted). */
  readonly hashedBytes: number;
  readonly totalBytes: number;
}

export interface CreateOptions {
  /** Default 'hybrid'. */
  readonly version?: TorrentVersion;
  /** A power of two, 16 KiB to 256 MiB; default: the smallest from 16 KiB to 16 MiB giving at most 2,000 pieces. */
  readonly pieceLength?: number;
  /** Tracker tiers (BEP 12): `[[a, b], [c]]`. */
  readonly trackers?: readonly (readonly string[])[];
  /** BEP 19 web seeds (url-list). */
  readonly webSeeds?: readonly string[];
  readonly private?: boolean;
  readonly comment?: string;
  readonly createdBy?: string;
  /** Seconds since the epoch; default (and null): no creation date, so the output is deterministic. */
  readonly creationDate?: number | null;
  /** The torrent's name; required by createTorrent, default the base name for createTorrentFromPath. */
  readonly name?: string;
  /** A pool to hash on; default a private one, closed when done. */
  readonly pool?: HashPool;
  onProgress?(progress: CreateProgress): void;
  readonly signal?: AbortSignal;
}

export interface CreatedTorrent {
  /** The bencoded .torrent. */
  readonly torrent: Buffer;
  readonly version: TorrentVersion;
  readonly name: string;
  readonly infoHashV1: Buffer | null;
  readonly infoHashV2: Buffer | null;
  readonly pieceLength: number;
  /** v1 pieces for v1 and hybrid; for v2 the sum of every file's pieces. */
  readonly pieceCount: number;
  /** File bytes, pad files not counted. */
  readonly totalSize: number;
}
