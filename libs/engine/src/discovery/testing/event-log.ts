interface Waiter<T> {
  readonly predicate: (event: T) => boolean;
  readonly resolve: (event: T) => void;
}

/** Records events and lets a test wait for one matching a predicate (already seen or still to come). */
export class EventLog<T> {
  readonly events: T[] = [];
  private waiters: Waiter<T>[] = [];

  readonly push = (event: T): void => {
    this.events.push(event);
    const ready = this.waiters.filter((waiter) => waiter.predicate(event));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(event);
  };

  /** Resolves with the first matching event; rejects after `timeoutMs` naming what was awaited. */
  waitFor(predicate: (event: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
    const seen = this.events.find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== entry);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const entry: Waiter<T> = {
        predicate,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      };
      this.waiters.push(entry);
    });
  }
}
