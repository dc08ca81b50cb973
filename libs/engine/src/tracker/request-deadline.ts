import { TrackerError } from './tracker-error';

/**
 * One signal for everything that ends a request early: the caller's AbortSignal or our own timeout. Its
 * reason is always a TrackerError ('aborted' or 'timeout'), so transports reject with `signal.reason`.
 */
export class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => this.abort('aborted', 'the request was aborted');

  constructor(
    private readonly url: string,
    timeoutMs: number,
    private readonly callerSignal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.abort('timeout', `no answer within ${timeoutMs} ms`), timeoutMs);
    if (callerSignal?.aborted) this.onCallerAbort();
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Rejects with the deadline's TrackerError as soon as it fires; for awaiting anything that ignores signals. */
  race<T>(work: Promise<T>): Promise<T> {
    const { signal } = this;
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason as TrackerError);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      // Always consumed, so work that fails after the deadline is never an unhandled rejection.
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
  }

  private abort(code: 'aborted' | 'timeout', message: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new TrackerError(code, this.url, message));
    clearTimeout(this.timer);
  }
}

/** Runs `work` under a deadline and always releases its timer. */
export async function withDeadline<T>(url: string, timeoutMs: number, signal: AbortSignal | undefined, work: (deadline: RequestDeadline) => Promise<T>): Promise<T> {
  const deadline = new RequestDeadline(url, timeoutMs, signal);
  try {
    if (deadline.signal.aborted) throw deadline.signal.reason as TrackerError;
    return await deadline.race(work(deadline));
  } finally {
    deadline.dispose();
  }
}
