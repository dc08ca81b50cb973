import { BLOCK_SIZE, TokenBucket } from '../policy';

/** A limit in bytes per second; 0 or undefined means unlimited. */
export type RateLimit = number | undefined;

/**
 * A bucket for a rate limit, or undefined for none. The burst is half a second of the rate (at least two
 * blocks, so a block can always pass), which keeps any window's bytes within rate x window + burst.
 */
export function limitBucket(bytesPerSecond: RateLimit, now: number): TokenBucket | undefined {
  if (!bytesPerSecond || bytesPerSecond <= 0) return undefined;
  return new TokenBucket(bytesPerSecond, Math.max(2 * BLOCK_SIZE, Math.floor(bytesPerSecond / 2)), now);
}

/** Buckets a transfer must pass: the session's, then the torrent's (either may be absent). */
export class RateGate {
  constructor(private readonly buckets: () => readonly TokenBucket[]) {}

  /** How many of `wanted` units of `unit` bytes the buckets allow now (nothing is taken). */
  allowed(wanted: number, unit: number, now: number): number {
    let bytes = Infinity;
    for (const bucket of this.buckets()) bytes = Math.min(bytes, bucket.available(now));
    return bytes === Infinity ? wanted : Math.min(wanted, Math.floor(bytes / unit));
  }

  take(bytes: number, now: number): void {
    for (const bucket of this.buckets()) bucket.take(Math.min(bytes, bucket.available(now)), now);
  }

  /** Milliseconds until `bytes` pass every bucket (0 when unlimited). */
  msUntil(bytes: number, now: number): number {
    let wait = 0;
    for (const bucket of this.buckets()) wait = Math.max(wait, bucket.msUntil(bytes, now));
    return wait;
  }
}
