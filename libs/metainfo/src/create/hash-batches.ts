import type { BatchJob, BatchPartResult, FillJob, HashResult } from '@seedfleet/hashing';
import type { PieceWork } from './piece-work';

/**
 * Small pieces grouped into one BatchJob. A tree of 10k small files has a v2 piece per file; one message
 * each spent more time in the event loops than in hashing.
 */
export interface BatchWork {
  readonly job: BatchJob;
  readonly parts: readonly PieceWork[];
}

/**
 * Bytes per job worth a message of its own; smaller jobs are grouped up to this. Each job costs the main
 * thread ~50 µs of promises and messages: a 4 GiB file in 4 MiB pieces, one job each, spent 60 ms on them.
 */
export const BATCH_BYTES = 16 * 1024 * 1024;
const BATCH_PARTS = 256;

/** The works in order, consecutive small fill jobs grouped; a large one goes alone. */
export function* batched(works: Iterable<PieceWork>): Generator<PieceWork | BatchWork> {
  let parts: PieceWork[] = [];
  let bytes = 0;
  const flush = (): PieceWork | BatchWork => {
    const batch = parts.length === 1 ? parts[0] : { job: { kind: 'batch' as const, jobs: parts.map((part) => part.job as FillJob) }, parts };
    parts = [];
    bytes = 0;
    return batch;
  };
  for (const work of works) {
    const { job } = work;
    if (job.kind === 'batch' || job.fill === undefined || job.length >= BATCH_BYTES) {
      if (parts.length > 0) yield flush();
      yield work;
      continue;
    }
    parts.push(work);
    bytes += job.length;
    if (bytes >= BATCH_BYTES || parts.length >= BATCH_PARTS) yield flush();
  }
  if (parts.length > 0) yield flush();
}

/** Calls `onPiece` for each piece of a work, batched or not. */
export function eachPiece(work: PieceWork | BatchWork, result: HashResult, onPiece: (work: PieceWork, result: HashResult | BatchPartResult) => void): void {
  if (!('parts' in work)) return onPiece(work, result);
  if (!('results' in result)) throw new Error('a batch job answered without per-job results');
  work.parts.forEach((part, index) => onPiece(part, result.results[index]));
}
