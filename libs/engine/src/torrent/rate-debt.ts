import { BLOCK_SIZE } from '../policy';
import type { RateGate } from './rate-limits';

/**
 * Bytes that came (or are coming) in whole runs, larger than a rate limit's burst, taken from the
 * buckets as they refill. While anything is owed, the owner starts nothing new; a timer calls `wake`
 * when the buckets have refilled a little (the torrent's 1 s tick alone would halve the rate).
 */
export class RateDebt {
  private owed = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly gate: RateGate,
    private readonly wake: () => void,
  ) {}

  owe(bytes: number): void {
    this.owed += bytes;
  }

  /** Takes what the buckets allow; true when nothing is owed any more. */
  pay(now: number): boolean {
    if (this.owed === 0) return true;
    const paid = this.gate.allowed(this.owed, 1, now);
    this.gate.take(paid, now);
    this.owed -= paid;
    if (this.owed === 0) return true;
    if (!this.timer) {
      const wait = this.gate.msUntil(Math.min(this.owed, 2 * BLOCK_SIZE), now);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.wake();
      }, Number.isFinite(wait) ? Math.max(10, wait) : 250);
      this.timer.unref();
    }
    return false;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
