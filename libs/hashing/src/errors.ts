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

/** Why a job's file range could not be read: a system error, or the file is not the declared length. */
export type HashReadReason = 'unreadable' | 'shorter' | 'longer';

/** A job's `fill` ranges could not be read in full (see FileRange). */
export class HashReadError extends Error {
  override readonly name = 'HashReadError';
  constructor(
    readonly path: string,
    readonly reason: HashReadReason,
    /** The system error code (ENOENT, EACCES, ...) when `reason` is 'unreadable'. */
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}
