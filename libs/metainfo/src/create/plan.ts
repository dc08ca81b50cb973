import type { TorrentVersion } from '../model';
import { checkFiles } from './check-files';
import { CreateTorrentError } from './create-error';
import type { CreateOptions, CreateSourceFile } from './create-options';
import { orderByVersion } from './file-order';
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

/**
 * Validates the input and lays it out like libtorrent 2.0 (v2, hybrid) or mktorrent (v1). For hybrids
 * with more than one file, every non-empty file is followed by a pad file up to the next piece boundary,
 * the last one included (libtorrent's canonicalize); a file ending on a boundary gets none.
 */
export function planTorrent(sources: readonly CreateSourceFile[], options: CreateOptions): CreationPlan {
  const version = options.version ?? 'hybrid';
  if (!['v1', 'v2', 'hybrid'].includes(version)) throw new CreateTorrentError('version', `must be 'v1', 'v2' or 'hybrid', got ${JSON.stringify(version)}`);
  const name = options.name;
  if (name === undefined) throw new CreateTorrentError('name', 'is required');
  checkFiles(sources, name);
  const totalSize = sources.reduce((sum, file) => sum + file.length, 0);
  if (totalSize === 0) throw new CreateTorrentError('files', 'hold no data; a torrent needs at least one non-empty file');
  if (!Number.isSafeInteger(totalSize)) throw new CreateTorrentError('files', `total size ${totalSize} is too large`);
  const pieceLength = options.pieceLength === undefined ? choosePieceLength(totalSize) : checkPieceLength(options.pieceLength, version);
  const ordered = orderByVersion(sources, version);
  const single = sources.length === 1 && sources[0].path.length === 0;
  const files = version === 'v1' ? layoutLinear(ordered) : layoutAligned(ordered, pieceLength, version === 'hybrid' && sources.length > 1);
  const last = files.at(-1)!;
  const spaceEnd = version === 'v2' ? files.reduce((end, file) => Math.max(end, alignedEnd(file, pieceLength)), 0) : last.offset + last.length;
  return { version, name, pieceLength, single, files, totalSize, pieceCount: Math.ceil(spaceEnd / pieceLength) };
}

function layoutLinear(sources: readonly CreateSourceFile[]): PlannedFile[] {
  let offset = 0;
  return sources.map((source) => {
    const file = fromSource(source, offset, false);
    offset += source.length;
    return file;
  });
}

/** Every file starts on a piece boundary; with `pad`, pad files fill the gaps (hybrid), else they are virtual (v2). */
function layoutAligned(sources: readonly CreateSourceFile[], pieceLength: number, pad: boolean): PlannedFile[] {
  const files: PlannedFile[] = [];
  let offset = 0;
  for (const source of sources) {
    const gap = (pieceLength - (source.length % pieceLength)) % pieceLength;
    const padded = pad && source.length > 0 && gap > 0;
    files.push(fromSource(source, offset, padded));
    offset += source.length;
    if (padded) {
      files.push({ path: ['.pad', String(gap)], length: gap, attributes: 'p', offset, paddedToPiece: false });
    }
    offset += gap;
  }
  return files;
}

function fromSource(source: CreateSourceFile, offset: number, paddedToPiece: boolean): PlannedFile {
  const attributes = (source.attributes ?? '') + (source.symlinkPath ? 'l' : '');
  return { path: source.path, length: source.length, attributes, symlinkPath: source.symlinkPath, source, offset, paddedToPiece };
}

function alignedEnd(file: PlannedFile, pieceLength: number): number {
  return file.offset + Math.ceil(file.length / pieceLength) * pieceLength;
}
