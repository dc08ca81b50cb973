/** A worker thread died (uncaught exception, out of memory, exit) while it held this job. */
export class HashWorkerCrashedError extends Error {
  override readonly name = 'HashWorkerCrashedError';
  constructor(
    readonly jobKind: string,
    readonly exitCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(`hash worker crashed (exit code ${exitCode ?? 'unknown'}) while hashing a ${jobKind} job`, options);
  }
}

/** The pool was closed before this job finished. */
export class HashPoolClosedError extends Error {
  override readonly name = 'HashPoolClosedError';
  constructor() {
    super('hash pool is closed');
  }
}
