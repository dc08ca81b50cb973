import { type HashPool, HashReadError, type HashResult } from '@seedfleet/hashing';
import { BLOCK_SIZE, merkleRoot } from '../v2/merkle';
import type { CreateOptions } from './create-options';
import { allLocal } from './local-source';
import { PieceBuffers } from './piece-buffers';
import { batched, eachPiece } from './hash-batches';
import { localPieces } from './local-pieces';
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

/** Reads and hashes every piece of the plan on the pool. */
export async function hashPlan(plan: CreationPlan, pool: HashPool, options: CreateOptions): Promise<PlanHashes> {
  const local = allLocal(plan.files);
  // Jobs of local files hold no piece buffers (the workers read the bytes), so only the pool bounds them.
  const window = local ? pool.maxPending : windowFor(pool, plan.pieceLength);
  const buffers = new PieceBuffers(plan.pieceLength, window);
  const pieces = plan.version === 'v2' ? null : Buffer.alloc(plan.pieceCount * 20);
  const pieceRoots = new Map<PlannedFile, Buffer[]>();
  let hashedBytes = 0;
  const onPiece = (work: PieceWork, result: HashResult): void => {
    buffers.give(result.data);
    if (pieces !== null && 'sha1' in result) result.sha1.copy(pieces, work.v1Index! * 20);
    if (work.file !== null && 'root' in result) {
      const roots = pieceRoots.get(work.file) ?? [];
      roots[work.filePiece] = result.root;
      pieceRoots.set(work.file, roots);
    }
    hashedBytes += work.fileBytes;
    options.onProgress?.({ hashedBytes, totalBytes: plan.totalSize });
  };
  const works = local ? batched(localPieces(plan, options.signal)) : allPieces(plan, buffers, options.signal);
  await runHashJobs(pool, works, window, (work, result) => eachPiece(work, result, onPiece), options.signal).catch((error: unknown) => {
    throw error instanceof HashReadError ? readError(plan, error) : error;
  });
  const files = new Map<PlannedFile, FileHashes>();
  for (const [file, roots] of pieceRoots) files.set(file, fileHashes(file, roots, plan.pieceLength));
  return { pieces, files };
}

/** Sources that are not local files stream through open(), cut into pieces as chunks arrive. */
async function* allPieces(plan: CreationPlan, buffers: PieceBuffers, signal?: AbortSignal): AsyncGenerator<PieceWork> {
  if (plan.version === 'v1') return yield* linearPieces(plan.files, buffers, signal);
  for (const file of plan.files) {
    if (file.source !== undefined && file.length > 0) yield* filePieces(file, plan.version, buffers, signal);
  }
}

function fileHashes(file: PlannedFile, roots: Buffer[], pieceLength: number): FileHashes {
  if (file.length <= pieceLength) return { piecesRoot: roots[0], pieceLayer: null };
  return { piecesRoot: merkleRoot(roots, Math.log2(pieceLength / BLOCK_SIZE)), pieceLayer: Buffer.concat(roots) };
}
