import type { FileRange } from '@seedfleet/hashing';
import type { TorrentVersion } from '../model';
import { BATCH_BYTES, batched, type BatchWork } from './hash-batches';
import type { LocalSourceFile } from './local-source';
import { filePieceWork, type PieceWork, v1PieceWork } from './piece-work';
import type { PlannedFile } from './plan';

/**
 * Every piece of local files, in hash order, as jobs the hash workers fill themselves from the files
 * (FileRange): the bytes go from the page cache to the thread that hashes them, so the main thread
 * neither reads nor copies, and a small file costs no thread-pool round trips. The files come in slices
 * (a directory's worth while a walk goes on); small jobs are batched within a slice. Lazy: a file may
 * have millions of pieces.
 */
export async function* localPieces(
  slices: AsyncIterable<readonly PlannedFile[]>,
  version: TorrentVersion,
  pieceLength: number,
  signal?: AbortSignal,
): AsyncGenerator<PieceWork | BatchWork> {
  if (version === 'v1') {
    const linear = new LinearJobs(pieceLength);
    for await (const files of slices) yield* linear.add(files, signal);
    return yield* linear.finish();
  }
  for await (const files of slices) yield* batched(filesPieces(files, version, pieceLength, signal));
}

/**
 * A v1 job is whole pieces, up to BATCH_BYTES, so 256 KiB pieces of a tree of small files do not each pay
 * a message round trip (10k files, 1267 pieces: ~15 % less CPU), and at most about this many ranges.
 */
const BATCH_RANGES = 512;

/** v1: the files back to back, a job of whole pieces at a time; a range may span pieces, a piece many files. */
class LinearJobs {
  private readonly batchLength: number;
  private fill: FileRange[] = [];
  private filled = 0;
  private firstIndex = 0;

  constructor(private readonly pieceLength: number) {
    this.batchLength = pieceLength * Math.max(1, Math.floor(BATCH_BYTES / pieceLength));
  }

  /** The jobs these files complete. */
  *add(files: readonly PlannedFile[], signal?: AbortSignal): Generator<PieceWork> {
    for (const { source, length: fileLength } of files) {
      const path = (source as LocalSourceFile).localPath;
      for (let position = 0; position < fileLength; ) {
        // With many ranges already, the job ends at the next piece boundary instead of the batch's.
        const jobEnd = this.fill.length >= BATCH_RANGES ? Math.ceil((this.filled + 1) / this.pieceLength) * this.pieceLength : this.batchLength;
        const length = Math.min(fileLength - position, jobEnd - this.filled);
        const ends = position + length === fileLength;
        this.fill.push({ path, position, length, at: this.filled, fileLength: ends ? fileLength : undefined });
        position += length;
        this.filled += length;
        if (this.filled === jobEnd) {
          signal?.throwIfAborted();
          yield this.job();
        }
      }
    }
  }

  /** The last, partial job. */
  *finish(): Generator<PieceWork> {
    if (this.filled > 0) yield this.job();
  }

  private job(): PieceWork {
    const work = v1PieceWork({ length: this.filled, fill: this.fill }, this.filled, this.firstIndex, this.pieceLength);
    this.firstIndex += Math.ceil(this.filled / this.pieceLength);
    this.fill = [];
    this.filled = 0;
    return work;
  }
}

/** v2 and hybrid: each file cut into its own pieces; a hybrid file's last piece is hashed with its pad's zeros. */
function* filesPieces(files: readonly PlannedFile[], kind: 'v2' | 'hybrid', pieceLength: number, signal?: AbortSignal): Generator<PieceWork> {
  for (const file of files) {
    if (file.source === undefined || file.length === 0) continue;
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
}
