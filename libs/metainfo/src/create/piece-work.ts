import type { HashJob, JobBytes } from '@seedfleet/hashing';
import { BLOCK_SIZE, nextPowerOfTwo } from '../v2/merkle';
import type { PieceBuffers } from './piece-buffers';
import { PieceCutter } from './piece-cutter';
import type { PlannedFile } from './plan';
import { readSource } from './read-source';

/** One piece to hash, and where its result goes. */
export interface PieceWork {
  readonly job: HashJob;
  /** File bytes in the piece (pad bytes not counted), for progress. */
  readonly fileBytes: number;
  /** The file the piece belongs to (v2, hybrid); null for v1 pieces, which may span files. */
  readonly file: PlannedFile | null;
  /** Index in the v1 piece list (v1, hybrid), the first one for a job of several pieces; null for v2. */
  readonly v1Index: number | null;
  /** Index of the piece within its file (v2, hybrid). */
  readonly filePiece: number;
}

/** v1: the files' bytes back to back, cut into pieces that may span files. */
export async function* linearPieces(files: readonly PlannedFile[], buffers: PieceBuffers, signal?: AbortSignal): AsyncGenerator<PieceWork> {
  const cutter = new PieceCutter(buffers);
  let index = 0;
  for (const file of files) {
    for await (const chunk of readSource(file.source!, signal)) {
      for (const piece of cutter.push(chunk)) yield v1PieceWork({ data: piece }, piece.length, index++);
    }
  }
  const { piece, filled } = cutter.rest();
  // A subarray cannot be transferred, so the pool hashes a copy and the buffer stays ours.
  if (filled > 0) yield v1PieceWork({ data: piece.subarray(0, filled) }, filled, index);
  cutter.release();
}

/** A v1 piece, or with `pieceLength` the consecutive pieces from `v1Index` on: SHA-1 only. */
export function v1PieceWork(bytes: JobBytes, fileBytes: number, v1Index: number, pieceLength?: number): PieceWork {
  return { job: { kind: 'sha1', ...bytes, pieceLength }, fileBytes, file: null, v1Index, filePiece: 0 };
}

/**
 * Piece `filePiece` of one file (v2, hybrid). A piece's merkle subtree is `blocks per piece` wide, except
 * in a file of one piece or less, whose pieces root is the tree over just its blocks. A hybrid piece
 * followed by a pad file is hashed for v1 together with the pad's zeros (`bytes` then hold them too).
 */
export function filePieceWork(file: PlannedFile, kind: 'v2' | 'hybrid', pieceLength: number, filePiece: number, bytes: JobBytes, fileBytes: number): PieceWork {
  const width = file.length > pieceLength ? pieceLength / BLOCK_SIZE : nextPowerOfTwo(Math.ceil(file.length / BLOCK_SIZE));
  return {
    job: kind === 'hybrid' ? { kind, ...bytes, v2Length: fileBytes, width } : { kind, ...bytes, width },
    fileBytes,
    file,
    v1Index: kind === 'hybrid' ? file.offset / pieceLength + filePiece : null,
    filePiece,
  };
}

/** v2 and hybrid: one file cut into its own pieces. */
export async function* filePieces(file: PlannedFile, kind: 'v2' | 'hybrid', buffers: PieceBuffers, signal?: AbortSignal): AsyncGenerator<PieceWork> {
  const pieceLength = buffers.pieceLength;
  let filePiece = 0;
  const work = (data: Buffer, fileBytes: number): PieceWork => filePieceWork(file, kind, pieceLength, filePiece++, { data }, fileBytes);
  const cutter = new PieceCutter(buffers);
  for await (const chunk of readSource(file.source!, signal)) {
    for (const piece of cutter.push(chunk)) yield work(piece, pieceLength);
  }
  const { piece, filled } = cutter.rest();
  if (filled > 0 && kind === 'hybrid' && file.paddedToPiece) {
    piece.fill(0, filled);
    yield work(piece, filled);
    return; // the whole buffer went to the pool
  }
  if (filled > 0) yield work(piece.subarray(0, filled), filled);
  cutter.release();
}
