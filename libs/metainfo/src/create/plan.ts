import type { TorrentVersion } from '../model';
import { checkFiles } from './check-files';
import { CreateTorrentError } from './create-error';
import type { CreateOptions, CreateSourceFile } from './create-options';
import { orderByVersion } from './file-order';
import { TorrentLayout } from './layout';
import { checkPieceLength, choosePieceLength } from './piece-length';

/** A file of the torrent as it will be written: sources in order, pad files between them. */
export interface PlannedFile {
  readonly path: readonly string[];
  readonly length: number;
  /** BEP 47 attributes as written: 'p' for pad files, 'l' added for symlinks. */
  readonly attributes: string;
  readonly symlinkPath?: readonly string[];
  /** Absent for pad files. */
  readonly source?: CreateSourceFile;
  /** Offset in the piece space: v1 layout (pads included) for v1 and hybrid, piece-aligned per file for v2. */
  readonly offset: number;
  /** Hybrid: the file's last piece is followed by a pad file, so its SHA-1 covers the padding zeros. */
  readonly paddedToPiece: boolean;
}

export interface CreationPlan {
  readonly version: TorrentVersion;
  readonly name: string;
  readonly pieceLength: number;
  /** A single-file torrent: info has `length`, not `files`. */
  readonly single: boolean;
  /** v1 order with pad files for v1 and hybrid; libtorrent order for v2. */
  readonly files: readonly PlannedFile[];
  readonly totalSize: number;
  readonly pieceCount: number;
}

/** Validates the input, sorts it into torrent order and lays it out (see TorrentLayout). */
export function planTorrent(sources: readonly CreateSourceFile[], options: CreateOptions): CreationPlan {
  const version = checkVersion(options.version);
  const name = options.name;
  if (name === undefined) throw new CreateTorrentError('name', 'is required');
  checkFiles(sources, name);
  const totalSize = sources.reduce((sum, file) => sum + file.length, 0);
  if (totalSize === 0) throw new CreateTorrentError('files', 'hold no data; a torrent needs at least one non-empty file');
  if (!Number.isSafeInteger(totalSize)) throw new CreateTorrentError('files', `total size ${totalSize} is too large`);
  const pieceLength = options.pieceLength === undefined ? choosePieceLength(totalSize) : checkPieceLength(options.pieceLength, version);
  const layout = new TorrentLayout(version, pieceLength);
  for (const source of orderByVersion(sources, version)) layout.add(source);
  layout.finish();
  return layout.plan(name, sources.length === 1 && sources[0].path.length === 0);
}

export function checkVersion(version: TorrentVersion | undefined): TorrentVersion {
  if (version === undefined) return 'hybrid';
  if (!['v1', 'v2', 'hybrid'].includes(version)) throw new CreateTorrentError('version', `must be 'v1', 'v2' or 'hybrid', got ${JSON.stringify(version)}`);
  return version;
}
