import type { TimerHandle, Timers } from '../../tracker/announcer/timers';

/**
 * A monotonic clock and timers for tests over real sockets: timers shorter than `warpFromMs` run in real
 * time (the stall and rate checks), longer ones (backoff, Retry-After) fire almost at once and move the
 * clock forward by their delay, so a 2-minute Retry-After costs a test nothing while the code still sees
 * two minutes pass. Every delay asked for is recorded.
 */
export class WarpClock {
  readonly delays: number[] = [];
  private skew = 0;

  constructor(private readonly warpFromMs = 500) {}

  readonly clock = (): number => performance.now() + this.skew;

  /** The warped delays (backoff, Retry-After), rounded to the millisecond. */
  get waits(): number[] {
    return this.delays.filter((delay) => delay >= this.warpFromMs).map(Math.round);
  }

  readonly timers: Timers = {
    setTimeout: (callback: () => void, delayMs: number): TimerHandle => {
      this.delays.push(delayMs);
      if (delayMs < this.warpFromMs) return setTimeout(callback, delayMs);
      const startedAt = this.clock();
      return setTimeout(() => {
        this.skew += Math.max(0, startedAt + delayMs - this.clock());
        callback();
      }, 1);
    },
    clearTimeout: (handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
