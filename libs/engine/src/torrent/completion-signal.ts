/**
 * `whenComplete()`'s promise: resolved once, when every piece is had (at start for a seed, or when the
 * last piece is stored, maybe while paused); rejected when the torrent fails or stops first.
 */
export class CompletionSignal {
  readonly promise: Promise<void>;
  private settled = false;
  private resolvePromise!: () => void;
  private rejectPromise!: (error: Error) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => ((this.resolvePromise = resolve), (this.rejectPromise = reject)));
    this.promise.catch(() => undefined); // Nobody may be waiting; the error is also the 'error' event.
  }

  /** Returns true the first time only: the caller emits 'complete' then. */
  resolve(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.resolvePromise();
    return true;
  }

  reject(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.rejectPromise(error);
  }
}
