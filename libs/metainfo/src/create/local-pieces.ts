import type { FileRange } from '@seedfleet/hashing';
import { BATCH_BYTES } from './hash-batches';
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

/**
 * A v1 job is whole pieces, up to BATCH_BYTES, so 256 KiB pieces of a tree of small files do not each pay
 * a message round trip (10k files, 1267 pieces: ~15 % less CPU), and at most about this many ranges.
 */
const BATCH_RANGES = 512;

/** v1: the files back to back, a job of whole pieces at a time; a range may span pieces, a piece many files. */
function* linearPieces(files: readonly PlannedFile[], pieceLength: number, signal?: AbortSignal): Generator<PieceWork> {
  const batchLength = pieceLength * Math.max(1, Math.floor(BATCH_BYTES / pieceLength));
  let fill: FileRange[] = [];
  let filled = 0;
  let firstIndex = 0;
  const batch = (): PieceWork => {
    const work = v1PieceWork({ length: filled, fill }, filled, firstIndex, pieceLength);
    firstIndex += Math.ceil(filled / pieceLength);
    fill = [];
    filled = 0;
    return work;
  };
  for (const { source, length: fileLength } of files) {
    const path = (source as LocalSourceFile).localPath;
    for (let position = 0; position < fileLength; ) {
      // With many ranges already, the job ends at the next piece boundary instead of the batch's.
      const jobEnd = fill.length >= BATCH_RANGES ? Math.ceil((filled + 1) / pieceLength) * pieceLength : batchLength;
      const length = Math.min(fileLength - position, jobEnd - filled);
      const ends = position + length === fileLength;
      fill.push({ path, position, length, at: filled, fileLength: ends ? fileLength : undefined });
      position += length;
      filled += length;
      if (filled === jobEnd) {
        signal?.throwIfAborted();
        yield batch();
      }
    }
  }
  if (filled > 0) yield batch();
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
