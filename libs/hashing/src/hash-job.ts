/** Bytes the pool takes ownership of: their ArrayBuffer is transferred to a worker when the view spans all of it. */
export type HashInput = Uint8Array;

/** SHA-1 of the bytes (a v1 piece). */
export interface Sha1Job {
  readonly kind: 'sha1';
  readonly data: HashInput;
}

/**
 * SHA-256 of each 16 KiB block and the root of the subtree over them, padded with zero hashes to `width`
 * leaves (a power of two, default the next one >= the block count): a v2 piece, or a whole small file.
 */
export interface V2Job {
  readonly kind: 'v2';
  readonly data: HashInput;
  readonly width?: number;
}

/**
 * A hybrid piece: SHA-1 over all the bytes (the file's data plus the zeros of the pad file after it) and
 * the v2 hashes over the first `v2Length` bytes (the file's data only; default all).
 */
export interface HybridJob {
  readonly kind: 'hybrid';
  readonly data: HashInput;
  readonly v2Length?: number;
  readonly width?: number;
}

export type HashJob = Sha1Job | V2Job | HybridJob;

interface ResultBase {
  /** The job's bytes, handed back so the caller can reuse the memory. */
  readonly data: Buffer;
}
export interface Sha1Result extends ResultBase {
  readonly sha1: Buffer;
}
export interface V2Result extends ResultBase {
  /** 32 bytes per 16 KiB block, in order. */
  readonly blockHashes: Buffer;
  readonly root: Buffer;
}
export type HybridResult = Sha1Result & V2Result;

export type HashResultFor<J extends HashJob> = J extends Sha1Job ? Sha1Result : J extends V2Job ? V2Result : HybridResult;
export type HashResult = Sha1Result | V2Result | HybridResult;
