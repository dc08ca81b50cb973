import type { FileRange, HashJob } from './hash-job';

const BLOCK_SIZE = 16384;
/** 2^20 leaves is 16 GiB of data in one job, far above any piece; it keeps the worker's shifts in range. */
const MAX_WIDTH = 2 ** 20;

/** What a worker receives; see worker-source.ts. */
export interface JobMessage {
  readonly id: number;
  readonly kind: HashJob['kind'];
  /** Absent for a fill job. */
  readonly data: ArrayBuffer | undefined;
  readonly length: number;
  /** SHA-1 per run of this many bytes (sha1 jobs); 0: one over all. */
  readonly pieceLength: number;
  readonly v2Length: number;
  readonly width: number;
  readonly fill: readonly FileRange[] | undefined;
  /** A batch's jobs (kind 'batch'). */
  readonly jobs?: readonly JobMessage[];
}

/** A fill range the worker could not read; see HashReadError. */
export interface ReadFailure {
  readonly path: string;
  readonly reason: 'unreadable' | 'shorter' | 'longer';
  readonly code?: string;
  readonly message: string;
}

/** The hashes of one job. */
export interface HashesMessage {
  readonly sha1?: Uint8Array;
  readonly blocks?: ArrayBuffer;
  readonly root?: Uint8Array;
}

/** What a worker answers. */
export interface ReplyMessage extends HashesMessage {
  readonly id: number;
  readonly data: ArrayBuffer | undefined;
  readonly readFailure?: ReadFailure;
  /** A batch's hashes: each job's SHA-1 digests, then its root, back to back in job order. */
  readonly packed?: ArrayBuffer;
}

/** Validates a job and turns it into a transferable message (no copy when the view spans its buffer). */
export function toJobMessage(id: number, job: HashJob): JobMessage {
  if (job.kind === 'batch') {
    if (!job.jobs.every((part) => part.fill !== undefined && (part.kind as string) !== 'batch')) throw new TypeError('a batch holds fill jobs only');
    return { id, kind: job.kind, data: undefined, length: 0, pieceLength: 0, v2Length: 0, width: 1, fill: undefined, jobs: job.jobs.map((part) => toJobMessage(id, part)) };
  }
  const { data, length } = jobBytes(job);
  if (job.kind === 'sha1') {
    const { pieceLength } = job;
    if (pieceLength !== undefined && (!Number.isSafeInteger(pieceLength) || pieceLength < 1)) throw new RangeError(`pieceLength must be a positive integer, got ${pieceLength}`);
    return { id, kind: job.kind, data, length, pieceLength: pieceLength ?? 0, v2Length: 0, width: 1, fill: job.fill };
  }
  const v2Length = job.kind === 'hybrid' ? (job.v2Length ?? length) : length;
  if (!Number.isSafeInteger(v2Length) || v2Length < 0 || v2Length > length) {
    throw new RangeError(`v2Length must be an integer in [0, ${length}], got ${v2Length}`);
  }
  const blocks = Math.ceil(v2Length / BLOCK_SIZE);
  const width = job.width ?? nextPowerOfTwo(blocks);
  if (!Number.isInteger(Math.log2(width)) || width < blocks || width > MAX_WIDTH) {
    throw new RangeError(`merkle width must be a power of two in [${blocks} blocks, 2^20], got ${width}`);
  }
  return { id, kind: job.kind, data, length, pieceLength: 0, v2Length, width, fill: job.fill };
}

function jobBytes(job: Exclude<HashJob, { kind: 'batch' }>): { data: ArrayBuffer | undefined; length: number } {
  if (job.fill === undefined) {
    if (!(job.data instanceof Uint8Array)) throw new TypeError(`hash job data must be a Uint8Array, got ${typeof job.data}`);
    return { data: transferable(job.data), length: job.data.length };
  }
  if (!Number.isSafeInteger(job.length) || job.length < 0) throw new RangeError(`a fill job's length must be a non-negative integer, got ${job.length}`);
  let end = 0;
  for (const range of job.fill) {
    const { path, position, length, at, fileLength } = range;
    const inJob = Number.isSafeInteger(at) && Number.isSafeInteger(length) && at >= end && length >= 0 && at + length <= job.length;
    const inFile = Number.isSafeInteger(position) && position >= 0 && (fileLength === undefined || position + length === fileLength);
    if (typeof path !== 'string' || !inJob || !inFile) throw new RangeError(`fill ranges must be in order, inside the job and their file: ${JSON.stringify(range)}`);
    end = at + length;
  }
  return { data: undefined, length: job.length };
}

function transferable(view: Uint8Array): ArrayBuffer {
  const { buffer } = view;
  if (buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength) return buffer;
  // A pooled Buffer, a subarray or shared memory: transferring would detach bytes that are not ours.
  return new Uint8Array(view).buffer;
}

function nextPowerOfTwo(n: number): number {
  let width = 1;
  while (width < n) width *= 2;
  return width;
}
