import type { HashJob } from './hash-job';

const BLOCK_SIZE = 16384;
/** 2^20 leaves is 16 GiB of data in one job, far above any piece; it keeps the worker's shifts in range. */
const MAX_WIDTH = 2 ** 20;

/** What a worker receives; see worker-source.ts. */
export interface JobMessage {
  readonly id: number;
  readonly kind: HashJob['kind'];
  readonly data: ArrayBuffer;
  readonly v2Length: number;
  readonly width: number;
}

/** What a worker answers. */
export interface ReplyMessage {
  readonly id: number;
  readonly data: ArrayBuffer;
  readonly sha1?: Uint8Array;
  readonly blocks?: ArrayBuffer;
  readonly root?: Uint8Array;
}

/** Validates a job and turns it into a transferable message (no copy when the view spans its buffer). */
export function toJobMessage(id: number, job: HashJob): JobMessage {
  if (!(job.data instanceof Uint8Array)) throw new TypeError(`hash job data must be a Uint8Array, got ${typeof job.data}`);
  if (job.kind === 'sha1') return { id, kind: job.kind, data: transferable(job.data), v2Length: 0, width: 1 };
  const v2Length = job.kind === 'hybrid' ? (job.v2Length ?? job.data.length) : job.data.length;
  if (!Number.isSafeInteger(v2Length) || v2Length < 0 || v2Length > job.data.length) {
    throw new RangeError(`v2Length must be an integer in [0, ${job.data.length}], got ${v2Length}`);
  }
  const blocks = Math.ceil(v2Length / BLOCK_SIZE);
  const width = job.width ?? nextPowerOfTwo(blocks);
  if (!Number.isInteger(Math.log2(width)) || width < blocks || width > MAX_WIDTH) {
    throw new RangeError(`merkle width must be a power of two in [${blocks} blocks, 2^20], got ${width}`);
  }
  return { id, kind: job.kind, data: transferable(job.data), v2Length, width };
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
