import { createHash, hash as oneShotHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { HashPoolClosedError, HashReadError } from './errors';
import type { BatchPartResult, HashJob, HashResultFor } from './hash-job';
import { HashWorker } from './hash-worker';
import { type HashesMessage, type ReplyMessage, toJobMessage, type JobMessage } from './job-message';

export interface HashPoolOptions {
  /**
   * Most worker threads; default os.availableParallelism(). They start lazily: the first with the first
   * job, another only while every running one already holds `jobsPerWorker` jobs and more wait (hashing
   * falls behind). Each thread is a V8 isolate of ~10 MiB resident, so a pool that keeps up with one stays at one.
   */
  readonly size?: number;
  /** Jobs accepted and not yet finished (queued or running) before submit() waits; default 4 per worker. */
  readonly maxPending?: number;
  /**
   * Jobs handed to one worker at a time (running plus waiting in its message queue); default 2. More keep
   * a worker busy through longer main-thread delays (a loaded machine schedules the main thread late) at
   * the cost of balance at the very end; jobs holding no memory (fill jobs) make that cheap.
   */
  readonly jobsPerWorker?: number;
  /**
   * SHA-1 jobs on memory (`data`, no `pieceLength`) of at most this many bytes are hashed on the calling
   * thread instead; default 0 (none). A worker round trip (post, wake a thread on a busy machine, reply)
   * costs more than hashing a 1 MiB piece (~0.5 ms), and a worker is a ~11 MiB isolate: measured on 1 GiB
   * ours -> ours, inline verification was faster, used less CPU and 15-20 MiB less peak RSS.
   */
  readonly inlineMaxBytes?: number;
  /**
   * A worker with no job for this long exits (default 10 s; 0 = never): a recheck may start several,
   * and a seeder that only verifies now and then should not keep ~11 MiB per isolate resident for it.
   */
  readonly idleTimeoutMs?: number;
}

/** Jobs queued at each worker by fillJobPoolOptions(). */
const FILL_JOBS_PER_WORKER = 8;

/**
 * Options for a pool fed fill jobs (workers read the bytes themselves): such jobs hold no memory, so each
 * worker gets a deep queue and keeps hashing while a loaded machine schedules the main thread late.
 */
export function fillJobPoolOptions(size = availableParallelism()): HashPoolOptions {
  return { size, jobsPerWorker: FILL_JOBS_PER_WORKER, maxPending: size * FILL_JOBS_PER_WORKER };
}

/** A job accepted by submit(); `result` settles when a worker has hashed it. */
export interface HashTicket<J extends HashJob> {
  readonly result: Promise<HashResultFor<J>>;
}

interface QueuedJob {
  readonly message: JobMessage;
  readonly kind: string;
  resolve(reply: ReplyMessage): void;
  reject(error: Error): void;
}

interface SlotWaiter {
  grant(): void;
  fail(error: unknown): void;
}

const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
const EMPTY = Buffer.alloc(0);

// Two jobs per worker hide the message round trip between jobs without holding more memory than needed.
const DEFAULT_JOBS_PER_WORKER = 2;

/**
 * SHA-1 / SHA-256 off the event loop on worker threads. Job bytes are transferred, not copied, and come
 * back in the result for reuse. At most `maxPending` jobs are accepted at once: submit() resolves only when
 * there is room, which is the backpressure a producer reading from disk or network should follow.
 */
export class HashPool {
  readonly size: number;
  readonly maxPending: number;
  readonly jobsPerWorker: number;
  readonly inlineMaxBytes: number;
  readonly idleTimeoutMs: number;
  private readonly idleTimers = new Map<HashWorker, NodeJS.Timeout>();
  private readonly workers: HashWorker[] = [];
  private readonly queue: QueuedJob[] = [];
  private readonly slotWaiters: SlotWaiter[] = [];
  private accepted = 0;
  private nextId = 1;
  private closed = false;

  constructor(options: HashPoolOptions = {}) {
    this.size = options.size ?? availableParallelism();
    this.maxPending = options.maxPending ?? this.size * 4;
    this.jobsPerWorker = options.jobsPerWorker ?? DEFAULT_JOBS_PER_WORKER;
    this.inlineMaxBytes = options.inlineMaxBytes ?? 0;
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    if (!Number.isFinite(this.idleTimeoutMs) || this.idleTimeoutMs < 0) {
      throw new RangeError(`hash pool idleTimeoutMs must be a non-negative number, got ${options.idleTimeoutMs}`);
    }
    if (!Number.isSafeInteger(this.inlineMaxBytes) || this.inlineMaxBytes < 0) {
      throw new RangeError(`hash pool inlineMaxBytes must be a non-negative integer, got ${options.inlineMaxBytes}`);
    }
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`hash pool size must be a positive integer, got ${options.size}`);
    if (!Number.isInteger(this.maxPending) || this.maxPending < 1) {
      throw new RangeError(`hash pool maxPending must be a positive integer, got ${options.maxPending}`);
    }
    if (!Number.isInteger(this.jobsPerWorker) || this.jobsPerWorker < 1) {
      throw new RangeError(`hash pool jobsPerWorker must be a positive integer, got ${options.jobsPerWorker}`);
    }
  }

  /** Worker threads started so far (they start on demand, up to `size`). */
  get threads(): number {
    return this.workers.length;
  }

  /** Jobs accepted and not yet finished. */
  get pending(): number {
    return this.accepted;
  }

  /**
   * Starts every thread now instead of on demand, for a caller that knows it will keep them all busy: a
   * thread takes 30-60 ms to boot, which the caller can overlap with its own preparation (creating a
   * torrent walks the directory meanwhile). Threads that get no job still exit after idleTimeoutMs.
   */
  prestart(): void {
    while (!this.closed && this.workers.length < this.size) {
      const worker = this.spawn();
      this.workers.push(worker);
      this.idleLater(worker);
    }
  }

  /** Waits for room (or rejects with the signal's reason), then queues the job. */
  async submit<J extends HashJob>(job: J, signal?: AbortSignal): Promise<HashTicket<J>> {
    if (this.isInline(job)) {
      if (this.closed) throw new HashPoolClosedError();
      signal?.throwIfAborted();
      const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
      return { result: Promise.resolve({ data, sha1: sha1Of(data) } as HashResultFor<J>) };
    }
    const message = toJobMessage(this.nextId++, job);
    await this.acquireSlot(signal);
    const result = new Promise<ReplyMessage>((resolve, reject) => {
      this.queue.push({ message, kind: job.kind, resolve, reject });
    }).finally(() => this.releaseSlot());
    this.dispatch();
    return { result: result.then((reply) => toResult(reply, message) as HashResultFor<J>) };
  }

  /** submit() and wait for the result. */
  async hash<J extends HashJob>(job: J, signal?: AbortSignal): Promise<HashResultFor<J>> {
    return (await this.submit(job, signal)).result;
  }

  /** Rejects everything not yet finished with HashPoolClosedError and stops the threads. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.slotWaiters.splice(0)) waiter.fail(new HashPoolClosedError());
    for (const job of this.queue.splice(0)) job.reject(new HashPoolClosedError());
    for (const timer of this.idleTimers.values()) clearTimeout(timer);
    this.idleTimers.clear();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private isInline(job: HashJob): job is Extract<HashJob, { kind: 'sha1' }> & { data: Uint8Array } {
    return (
      job.kind === 'sha1' && job.fill === undefined && job.pieceLength === undefined && job.data instanceof Uint8Array && job.data.byteLength <= this.inlineMaxBytes
    );
  }

  private spawn(): HashWorker {
    const worker: HashWorker = new HashWorker(
      () => {
        this.dispatch();
        if (worker.load === 0) this.idleLater(worker);
      },
      (crashed) => this.replace(crashed),
    );
    return worker;
  }

  /** Ends the worker if it is still idle after idleTimeoutMs (a new job cancels that). */
  private idleLater(worker: HashWorker): void {
    if (this.idleTimeoutMs === 0 || this.closed || this.idleTimers.has(worker)) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(worker);
      const index = this.workers.indexOf(worker);
      if (this.closed || worker.load > 0 || index < 0) return;
      this.workers.splice(index, 1);
      void worker.terminate();
    }, this.idleTimeoutMs);
    timer.unref();
    this.idleTimers.set(worker, timer);
  }

  private replace(crashed: HashWorker): void {
    const index = this.workers.indexOf(crashed);
    if (this.closed || index < 0) return;
    // Its jobs were rejected; a new thread starts when the queue needs one.
    this.workers.splice(index, 1);
    clearTimeout(this.idleTimers.get(crashed));
    this.idleTimers.delete(crashed);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let worker = this.leastLoaded();
      if (worker === undefined || (worker.load >= this.jobsPerWorker && this.workers.length < this.size)) {
        worker = this.spawn();
        this.workers.push(worker);
      }
      if (worker.load >= this.jobsPerWorker) return;
      const idle = this.idleTimers.get(worker);
      if (idle !== undefined) {
        clearTimeout(idle);
        this.idleTimers.delete(worker);
      }
      const job = this.queue.shift()!;
      worker.run(job.message, job);
    }
  }

  private leastLoaded(): HashWorker | undefined {
    let best: HashWorker | undefined;
    for (const worker of this.workers) if (best === undefined || worker.load < best.load) best = worker;
    return best;
  }

  private acquireSlot(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new HashPoolClosedError());
    signal?.throwIfAborted();
    if (this.accepted < this.maxPending && this.slotWaiters.length === 0) {
      this.accepted++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.slotWaiters.splice(this.slotWaiters.indexOf(waiter), 1);
        reject(signal!.reason);
      };
      const waiter: SlotWaiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.slotWaiters.push(waiter);
    });
  }

  private releaseSlot(): void {
    const next = this.slotWaiters.shift();
    if (next === undefined) this.accepted--;
    else next.grant();
  }
}

function sha1Of(data: Buffer): Buffer {
  return typeof oneShotHash === 'function' ? oneShotHash('sha1', data, 'buffer') : createHash('sha1').update(data).digest();
}

function toResult(reply: ReplyMessage, message: JobMessage): HashResultFor<HashJob> {
  const failure = reply.readFailure;
  if (failure !== undefined) throw new HashReadError(failure.path, failure.reason, failure.code, `${failure.path}: ${failure.message}`);
  const data = reply.data === undefined ? Buffer.alloc(0) : Buffer.from(reply.data);
  if (reply.packed !== undefined) return { data, results: unpackBatch(Buffer.from(reply.packed), message.jobs!) } as HashResultFor<HashJob>;
  return { data, ...toHashes(reply) } as HashResultFor<HashJob>;
}

/** Views into a batch's packed hashes (see worker-source.ts), one result per job. */
function unpackBatch(packed: Buffer, jobs: readonly JobMessage[]): BatchPartResult[] {
  let at = 0;
  const take = (length: number): Buffer => packed.subarray(at, (at += length));
  return jobs.map((job) => {
    if (job.kind === 'sha1') return { data: EMPTY, sha1: take(20 * sha1Count(job)) };
    if (job.kind === 'v2') return { data: EMPTY, root: take(32) };
    return { data: EMPTY, sha1: take(20), root: take(32) };
  });
}

/** Digests a job's SHA-1 gives: one per piece with pieceLength (at least one), else one. */
function sha1Count(job: JobMessage): number {
  return job.pieceLength > 0 ? Math.max(1, Math.ceil(job.length / job.pieceLength)) : 1;
}

function toHashes(hashes: HashesMessage): { sha1?: Buffer; root?: Buffer; blockHashes?: Buffer } {
  const sha1 = hashes.sha1 && Buffer.from(hashes.sha1.buffer, hashes.sha1.byteOffset, hashes.sha1.byteLength);
  const root = hashes.root && Buffer.from(hashes.root.buffer, hashes.root.byteOffset, hashes.root.byteLength);
  const blockHashes = hashes.blocks && Buffer.from(hashes.blocks);
  return { sha1, root, blockHashes };
}
