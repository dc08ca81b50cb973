import type { Random } from '../policy/random';
import type { Timers } from '../tracker/announcer/timers';
import { WebSeedError } from './web-seed-error';

export interface BackoffSettings {
  readonly clock: () => number;
  readonly timers: Timers;
  readonly random: Random;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxRetryAfterMs: number;
}

/**
 * When this seed may be asked again. One per seed, not per request: a 503 says the server is busy, so
 * every run of the seed waits, not just the one that got it. A Retry-After wins over our own schedule
 * (capped); otherwise exponential from the base with jitter in [50 %, 100 %], so runs that failed together
 * do not come back in lockstep. A success resets the exponent.
 */
export class SeedBackoff {
  private notBefore = Number.NEGATIVE_INFINITY;
  private failures = 0;

  constructor(private readonly settings: BackoffSettings) {}

  /** Milliseconds until the seed may be asked again (0 = now). */
  get remainingMs(): number {
    return Math.max(0, this.notBefore - this.settings.clock());
  }

  failed(error: WebSeedError): number {
    const { backoffBaseMs, backoffMaxMs, maxRetryAfterMs, random, clock } = this.settings;
    this.failures++;
    const exponential = Math.min(backoffMaxMs, backoffBaseMs * 2 ** Math.min(30, this.failures - 1));
    const delay = error.retryAfterMs !== undefined ? Math.min(maxRetryAfterMs, error.retryAfterMs) : exponential * (0.5 + random() / 2);
    this.notBefore = Math.max(this.notBefore, clock() + delay);
    return delay;
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Resolves once the seed may be asked again; rejects with the signal's reason when it fires first. */
  wait(signal: AbortSignal): Promise<void> {
    const delay = this.remainingMs;
    if (signal.aborted) return Promise.reject(signal.reason);
    if (delay === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.settings.timers.clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = this.settings.timers.setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        // Another failure may have pushed the time further while we slept.
        this.wait(signal).then(resolve, reject);
      }, delay);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** The abort reason of a run: our own WebSeedError when we aborted it, else 'aborted'. */
export function abortError(signal: AbortSignal, url: string): WebSeedError {
  return signal.reason instanceof WebSeedError ? signal.reason : new WebSeedError('aborted', url, 'the fetch was aborted', { cause: signal.reason });
}
