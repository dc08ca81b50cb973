import { type BatchPartResult, type HashPool, HashReadError, type HashResult } from '@seedfleet/hashing';
import type { TorrentVersion } from '../model';
import { BLOCK_SIZE, merkleRoot } from '../v2/merkle';
import type { CreateOptions } from './create-options';
import { type BatchWork, eachPiece } from './hash-batches';
import { allLocal } from './local-source';
import { localPieces } from './local-pieces';
import { PieceBuffers } from './piece-buffers';
import { filePieces, linearPieces, type PieceWork } from './piece-work';
import type { CreationPlan, PlannedFile } from './plan';
import { readError } from './read-error';
import { runHashJobs, windowFor } from './run-hash-jobs';

export interface FileHashes {
  readonly piecesRoot: Buffer;
  /** Concatenated piece hashes, for files longer than one piece (BEP 52 `piece layers`). */
  readonly pieceLayer: Buffer | null;
}

export interface PlanHashes {
  /** Concatenated SHA-1 piece hashes (v1, hybrid). */
  readonly pieces: Buffer | null;
  /** Non-empty files (v2, hybrid). */
  readonly files: Map<PlannedFile, FileHashes>;
}

/**
 * The layout as far as it goes while files still come (a TorrentLayout during a walk, or a whole plan):
 * hashing needs its shape up front, and the files and bytes so far for progress and error reports.
 */
export interface LayoutSoFar {
  readonly version: TorrentVersion;
  readonly pieceLength: number;
  readonly totalSize: number;
  readonly files: readonly PlannedFile[];
}

/** Reads and hashes every piece of the plan on the pool. */
export async function hashPlan(plan: CreationPlan, pool: HashPool, options: CreateOptions): Promise<PlanHashes> {
  if (allLocal(plan.files)) return (await hashLocalFiles(oneSlice(plan.files), plan, pool, options)).hashes(plan);
  // Jobs of streamed sources hold piece buffers, so the window bounds the memory they take.
  const window = windowFor(pool, plan.pieceLength);
  const buffers = new PieceBuffers(plan.pieceLength, window);
  const collected = new CollectedHashes(plan);
  const works = plan.version === 'v1' ? linearPieces(plan.files, buffers, options.signal) : streamedFilePieces(plan, buffers, options.signal);
  const onHashed = (work: PieceWork, result: HashResult): void => {
    buffers.give(result.data);
    collected.add(work, result, options);
  };
  await runHashJobs(pool, works, window, onHashed, options.signal);
  return collected.hashes(plan);
}

/**
 * Hashes local files as they come, in slices and in torrent order (a directory's worth while a walk goes
 * on), laid out by `layout`, which the caller makes into a plan once they are all known.
 */
export async function hashLocalFiles(slices: AsyncIterable<readonly PlannedFile[]>, layout: LayoutSoFar, pool: HashPool, options: CreateOptions): Promise<CollectedHashes> {
  const collected = new CollectedHashes(layout);
  // Jobs that read their own bytes hold no memory, so only the pool bounds them.
  const works = localPieces(slices, layout.version, layout.pieceLength, options.signal);
  const onHashed = (work: PieceWork | BatchWork, result: HashResult): void => eachPiece(work, result, (piece, hashes) => collected.add(piece, hashes, options));
  await runHashJobs(pool, works, pool.maxPending, onHashed, options.signal).catch((error: unknown) => {
    throw error instanceof HashReadError ? readError(layout.files, error) : error;
  });
  return collected;
}

/** Piece hashes as they arrive, in any order; the v1 list grows while the piece count is not yet known. */
export class CollectedHashes {
  private pieces: Buffer;
  private readonly pieceRoots = new Map<PlannedFile, Buffer[]>();
  private hashedBytes = 0;

  constructor(private readonly layout: LayoutSoFar) {
    this.pieces = Buffer.alloc(layout.version === 'v2' ? 0 : 20 * Math.max(1, Math.ceil(layout.totalSize / layout.pieceLength)));
  }

  add(work: PieceWork, result: HashResult | BatchPartResult, options: CreateOptions): void {
    if (this.layout.version !== 'v2' && 'sha1' in result) {
      const end = work.v1Index! * 20 + result.sha1.length;
      if (end > this.pieces.length) this.grow(end);
      result.sha1.copy(this.pieces, work.v1Index! * 20);
    }
    if (work.file !== null && 'root' in result) {
      const roots = this.pieceRoots.get(work.file) ?? [];
      roots[work.filePiece] = result.root;
      this.pieceRoots.set(work.file, roots);
    }
    this.hashedBytes += work.fileBytes;
    options.onProgress?.({ hashedBytes: this.hashedBytes, totalBytes: this.layout.totalSize });
  }

  /** Once every piece of the plan has been added. */
  hashes(plan: CreationPlan): PlanHashes {
    const files = new Map<PlannedFile, FileHashes>();
    for (const [file, roots] of this.pieceRoots) files.set(file, fileHashes(file, roots, plan.pieceLength));
    return { pieces: plan.version === 'v2' ? null : this.pieces.subarray(0, plan.pieceCount * 20), files };
  }

  private grow(needed: number): void {
    const grown = Buffer.alloc(Math.max(needed, 2 * this.pieces.length));
    this.pieces.copy(grown);
    this.pieces = grown;
  }
}

async function* oneSlice(files: readonly PlannedFile[]): AsyncGenerator<readonly PlannedFile[]> {
  yield files;
}

/** Sources that are not local files stream through open(), cut into pieces as chunks arrive. */
async function* streamedFilePieces(plan: CreationPlan, buffers: PieceBuffers, signal?: AbortSignal): AsyncGenerator<PieceWork> {
  for (const file of plan.files) {
    if (file.source !== undefined && file.length > 0) yield* filePieces(file, plan.version as 'v2' | 'hybrid', buffers, signal);
  }
}

function fileHashes(file: PlannedFile, roots: Buffer[], pieceLength: number): FileHashes {
  if (file.length <= pieceLength) return { piecesRoot: roots[0], pieceLayer: null };
  return { piecesRoot: merkleRoot(roots, Math.log2(pieceLength / BLOCK_SIZE)), pieceLayer: Buffer.concat(roots) };
}
