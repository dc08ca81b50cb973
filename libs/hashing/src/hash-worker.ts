import { Worker } from 'node:worker_threads';
import { HashPoolClosedError, HashWorkerCrashedError } from './errors';
import type { JobMessage, ReplyMessage } from './job-message';
import { WORKER_SOURCE } from './worker-source';

export interface InFlightJob {
  readonly kind: string;
  resolve(reply: ReplyMessage): void;
  reject(error: Error): void;
}

/**
 * One worker thread and the jobs it holds. It keeps the process alive only while it has work, so a pool
 * someone forgot to close does not hang the process. When the thread dies unasked, its jobs are rejected
 * with HashWorkerCrashedError and `onCrash` lets the pool replace it.
 */
export class HashWorker {
  private readonly thread = new Worker(WORKER_SOURCE, { eval: true });
  private readonly inFlight = new Map<number, InFlightJob>();
  private lastError: unknown;
  private terminating = false;

  constructor(
    private readonly onSettled: () => void,
    private readonly onCrash: (worker: HashWorker) => void,
  ) {
    this.thread.unref();
    this.thread.on('message', (reply: ReplyMessage) => this.settle(reply));
    this.thread.on('error', (error) => (this.lastError = error));
    this.thread.on('exit', (exitCode) => this.exited(exitCode));
  }

  get load(): number {
    return this.inFlight.size;
  }

  run(message: JobMessage, job: InFlightJob): void {
    if (this.inFlight.size === 0) this.thread.ref();
    this.inFlight.set(message.id, job);
    this.thread.postMessage(message, message.data === undefined ? [] : [message.data]);
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    this.rejectAll(new HashPoolClosedError());
    await this.thread.terminate();
  }

  private settle(reply: ReplyMessage): void {
    const job = this.inFlight.get(reply.id);
    if (job === undefined) return;
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) this.thread.unref();
    job.resolve(reply);
    this.onSettled();
  }

  private exited(exitCode: number): void {
    if (this.terminating) return;
    for (const [, job] of this.inFlight) job.reject(new HashWorkerCrashedError(job.kind, exitCode, { cause: this.lastError }));
    this.inFlight.clear();
    this.onCrash(this);
  }

  private rejectAll(error: Error): void {
    for (const [, job] of this.inFlight) job.reject(error);
    this.inFlight.clear();
  }
}
