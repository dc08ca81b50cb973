import { checkNumber } from './errors';

/**
 * A token bucket for rate limits: `ratePerSecond` tokens (bytes) accrue up to `burst`; a transfer takes
 * tokens first. Pure over an injected `now`. An Infinity rate means unlimited.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    now: number,
  ) {
    checkNumber('ratePerSecond', ratePerSecond, 0, true);
    checkNumber('burst', burst, 0, true);
    this.tokens = burst;
    this.updatedAt = now;
  }

  /** Tokens available at `now`. */
  available(now: number): number {
    this.refill(now);
    return this.ratePerSecond === Infinity ? Infinity : this.tokens;
  }

  /** Takes `amount` if all of it is available; returns whether it did. */
  take(amount: number, now: number): boolean {
    checkNumber('amount', amount, 0);
    if (this.available(now) < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** Milliseconds until `amount` tokens are available: 0 if now, Infinity if more than `burst`. */
  msUntil(amount: number, now: number): number {
    const missing = amount - this.available(now);
    if (missing <= 0) return 0;
    if (amount > this.burst || this.ratePerSecond === 0) return Infinity;
    return Math.ceil((missing * 1000) / this.ratePerSecond);
  }

  private refill(now: number): void {
    if (now <= this.updatedAt || this.ratePerSecond === Infinity) return;
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
    this.updatedAt = now;
  }
}

/**
 * Hierarchical limits (global, then per torrent, then per peer): a transfer needs tokens from every bucket.
 * Grants as much of `wanted` as all buckets allow right now (possibly 0) and takes it from each, so a big
 * send proceeds in pieces instead of waiting for a burst larger than a bucket can hold.
 */
export function takeFromAll(buckets: readonly TokenBucket[], wanted: number, now: number): number {
  checkNumber('wanted', wanted, 0);
  let granted = wanted;
  for (const bucket of buckets) granted = Math.min(granted, bucket.available(now));
  granted = Math.floor(granted);
  for (const bucket of buckets) bucket.take(granted, now);
  return granted;
}

/** Milliseconds until every bucket holds `amount` tokens. */
export function msUntilAll(buckets: readonly TokenBucket[], amount: number, now: number): number {
  let wait = 0;
  for (const bucket of buckets) wait = Math.max(wait, bucket.msUntil(amount, now));
  return wait;
}
