import { checkInteger, checkNumber } from './errors';

export interface RateOptions {
  /** How far back the rate looks (default 5 s; BEP 3 suggests 20 s for choking decisions). */
  readonly windowMs?: number;
  /** Slots the window is cut into (default 10): finer slots make the window slide more smoothly. */
  readonly slots?: number;
}

/**
 * Bytes per second over a sliding window, from `now`-stamped samples: a ring of per-slot byte counts, so
 * adding a sample is O(1) and old traffic falls out of the window instead of decaying forever. A young
 * estimator divides by its age, not the whole window, so a new fast peer looks fast at once.
 */
export class RateEstimator {
  private readonly slotMs: number;
  private readonly counts: Float64Array;
  private latestSlot: number;
  private totalBytes = 0;

  constructor(
    private readonly startedAt: number,
    options: RateOptions = {},
  ) {
    const { windowMs = 5000, slots = 10 } = options;
    checkNumber('windowMs', windowMs, 1);
    checkInteger('slots', slots, 1, 10_000);
    checkNumber('startedAt', startedAt, -Infinity);
    this.slotMs = windowMs / slots;
    this.counts = new Float64Array(slots);
    this.latestSlot = Math.floor(startedAt / this.slotMs);
  }

  /** Records `bytes` transferred at `now`. A clock that went backwards counts in the latest slot. */
  add(bytes: number, now: number): void {
    checkNumber('bytes', bytes, 0);
    this.advance(now);
    this.counts[this.latestSlot % this.counts.length] += bytes;
    this.totalBytes += bytes;
  }

  /** Bytes per second over the window ending at `now`. */
  rate(now: number): number {
    this.advance(now);
    let bytes = 0;
    for (const count of this.counts) bytes += count;
    const windowSpan = (this.counts.length - 1) * this.slotMs + Math.max(0, now - this.latestSlot * this.slotMs);
    const spanMs = Math.max(this.slotMs, Math.min(windowSpan, now - this.startedAt));
    return (bytes * 1000) / spanMs;
  }

  /** Every byte ever added. */
  get total(): number {
    return this.totalBytes;
  }

  private advance(now: number): void {
    const slot = Math.floor(now / this.slotMs);
    if (slot <= this.latestSlot) return;
    const cleared = Math.min(slot - this.latestSlot, this.counts.length);
    for (let step = 1; step <= cleared; step++) this.counts[(this.latestSlot + step) % this.counts.length] = 0;
    this.latestSlot = slot;
  }
}
