import type { FileRange } from '@seedfleet/hashing';
import type { LocalSourceFile } from './local-source';
import { filePieceWork, type PieceWork, v1PieceWork } from './piece-work';
import type { CreationPlan, PlannedFile } from './plan';

/**
 * Every piece of a plan of local files, in hash order, as a job the hash workers fill themselves from the
 * files (FileRange): the bytes go from the page cache to the thread that hashes them, so the main thread
 * neither reads nor copies, and a small file costs no thread-pool round trips. Lazy: the plan may be huge.
 */
export function* localPieces(plan: CreationPlan, signal?: AbortSignal): Generator<PieceWork> {
  if (plan.version === 'v1') return yield* linearPieces(plan.files, plan.pieceLength, signal);
  for (const file of plan.files) {
    if (file.source !== undefined && file.length > 0) yield* filePieces(file, plan.version, plan.pieceLength, signal);
  }
}

/** v1: the files back to back; a piece may hold ranges of many files. */
function* linearPieces(files: readonly PlannedFile[], pieceLength: number, signal?: AbortSignal): Generator<PieceWork> {
  let fill: FileRange[] = [];
  let filled = 0;
  let index = 0;
  for (const { source, length: fileLength } of files) {
    const path = (source as LocalSourceFile).localPath;
    for (let position = 0; position < fileLength; ) {
      const length = Math.min(fileLength - position, pieceLength - filled);
      const ends = position + length === fileLength;
      fill.push({ path, position, length, at: filled, fileLength: ends ? fileLength : undefined });
      position += length;
      filled += length;
      if (filled === pieceLength) {
        signal?.throwIfAborted();
        yield v1PieceWork({ length: filled, fill }, filled, index++);
        fill = [];
        filled = 0;
      }
    }
  }
  if (filled > 0) yield v1PieceWork({ length: filled, fill }, filled, index);
}

/** v2 and hybrid: one file, cut into its own pieces; a hybrid file's last piece is hashed with its pad's zeros. */
function* filePieces(file: PlannedFile, kind: 'v2' | 'hybrid', pieceLength: number, signal?: AbortSignal): Generator<PieceWork> {
  const path = (file.source as LocalSourceFile).localPath;
  for (let filePiece = 0, position = 0; position < file.length; filePiece++, position += pieceLength) {
    signal?.throwIfAborted();
    const length = Math.min(pieceLength, file.length - position);
    const ends = position + length === file.length;
    const padded = kind === 'hybrid' && file.paddedToPiece;
    const fill = [{ path, position, length, at: 0, fileLength: ends ? file.length : undefined }];
    yield filePieceWork(file, kind, pieceLength, filePiece, { length: padded ? pieceLength : length, fill }, length);
  }
}
