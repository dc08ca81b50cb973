/** Bytes the pool takes ownership of: their ArrayBuffer is transferred to a worker when the view spans all of it. */
export type HashInput = Uint8Array;

/**
 * Bytes of a local file that are part of a job: `length` bytes from `position` in the file are the job's
 * bytes at `at`. Ranges are in `at` order and do not overlap; bytes no range covers are zeros.
 */
export interface FileRange {
  readonly path: string;
  readonly position: number;
  readonly length: number;
  readonly at: number;
  /** When set, the range ends the file: the worker checks the file is exactly this long. */
  readonly fileLength?: number;
}

/**
 * Where a job's bytes come from: memory (`data`, transferred to the worker and handed back), or files
 * (`fill`, `length` bytes in all) that the worker reads itself. Reading on the worker thread in small
 * chunks that are hashed while still in the CPU cache costs a quarter of the kernel time of reading whole
 * pieces (measured: 0.4 s instead of 1.6 s for 4 GiB), no main-thread time and no thread-pool round trips.
 */
export type JobBytes = { readonly data: HashInput; readonly fill?: undefined } | { readonly data?: undefined; readonly length: number; readonly fill: readonly FileRange[] };

/**
 * SHA-1 of the bytes (a v1 piece), or with `pieceLength` of each run of that many bytes (the last may be
 * shorter): several pieces in one job, so small pieces do not each pay a message round trip.
 */
export type Sha1Job = { readonly kind: 'sha1'; readonly pieceLength?: number } & JobBytes;

/**
 * SHA-256 of each 16 KiB block and the root of the subtree over them, padded with zero hashes to `width`
 * leaves (a power of two, default the next one >= the block count): a v2 piece, or a whole small file.
 */
export type V2Job = { readonly kind: 'v2'; readonly width?: number } & JobBytes;

/**
 * A hybrid piece: SHA-1 over all the bytes (the file's data plus the zeros of the pad file after it) and
 * the v2 hashes over the first `v2Length` bytes (the file's data only; default all).
 */
export type HybridJob = { readonly kind: 'hybrid'; readonly v2Length?: number; readonly width?: number } & JobBytes;

/** A job whose bytes the worker reads from files. */
export type FillJob = (Sha1Job | V2Job | HybridJob) & { readonly fill: readonly FileRange[] };

/**
 * Several fill jobs in one message, answered together: a tree of small files has a v2 piece per file, and
 * 10k round trips through the event loops cost more than hashing the files. The answer holds each job's
 * SHA-1 and root but not its block hashes: transferring a buffer of them per file cost more again.
 */
export interface BatchJob {
  readonly kind: 'batch';
  readonly jobs: readonly FillJob[];
}

export type HashJob = Sha1Job | V2Job | HybridJob | BatchJob;

interface ResultBase {
  /** The job's `data`, handed back so the caller can reuse the memory (empty for a `fill` job). */
  readonly data: Buffer;
}
export interface Sha1Result extends ResultBase {
  /** 20 bytes; for a job with `pieceLength`, 20 per piece, in order. */
  readonly sha1: Buffer;
}
export interface V2Result extends ResultBase {
  /** 32 bytes per 16 KiB block, in order. */
  readonly blockHashes: Buffer;
  readonly root: Buffer;
}
export type HybridResult = Sha1Result & V2Result;
/** One job of a batch: its hashes without the block hashes (see BatchJob). */
export type BatchPartResult = Sha1Result | Omit<V2Result, 'blockHashes'> | Omit<HybridResult, 'blockHashes'>;
export interface BatchResult extends ResultBase {
  /** One per job of the batch, in order; `data` empty. */
  readonly results: readonly BatchPartResult[];
}

export type HashResultFor<J extends HashJob> = J extends BatchJob ? BatchResult : J extends Sha1Job ? Sha1Result : J extends V2Job ? V2Result : HybridResult;
export type HashResult = Sha1Result | V2Result | HybridResult | BatchResult;
