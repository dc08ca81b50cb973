import type { Random } from '../policy/random';
import { realTimers, type Timers } from '../tracker/announcer/timers';

const MiB = 1024 * 1024;

/** What a WebSeed can be tuned with; every field is optional (see DEFAULT_WEB_SEED_OPTIONS). */
export interface WebSeedOptions {
  /** HTTP requests at once to this seed (each run holds one while it fetches). */
  readonly maxConcurrentRequests: number;
  /** Bytes of piece buffers of runs in flight; a run is refused (canFetch false) when it would pass this. */
  readonly maxBytesInFlight: number;
  /** Attempts per run for retryable failures (reset, stall, 5xx, 503) before the run fails. */
  readonly maxAttempts: number;
  /** First backoff after a retryable failure; doubles per consecutive failure, with jitter. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** A Retry-After above this is cut to it (a server asking for a day should not park the seed that long). */
  readonly maxRetryAfterMs: number;
  readonly maxRedirects: number;
  /** No byte (headers or body) for this long: 'stalled'. */
  readonly stallTimeoutMs: number;
  /** Below this many bytes per second over `rateWindowMs` of body: 'too-slow' (0 disables). */
  readonly minBytesPerSecond: number;
  readonly rateWindowMs: number;
  /** Strikes (bad pieces, protocol violations) after which the seed disables itself. */
  readonly maxStrikes: number;
  readonly userAgent: string;
  /** Certificate authorities trusted for https web seeds and redirects (default: Node's bundled roots). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Monotonic milliseconds (stall and rate checks, backoff). */
  readonly clock: () => number;
  /** Wall-clock milliseconds since the epoch, for Retry-After given as an HTTP date. */
  readonly wallClock: () => number;
  readonly timers: Timers;
  /** Backoff jitter. */
  readonly random: Random;
}

export const DEFAULT_WEB_SEED_OPTIONS: WebSeedOptions = {
  maxConcurrentRequests: 4,
  maxBytesInFlight: 32 * MiB,
  maxAttempts: 5,
  backoffBaseMs: 1000,
  backoffMaxMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
  maxRedirects: 5,
  stallTimeoutMs: 30_000,
  minBytesPerSecond: 16 * 1024,
  rateWindowMs: 20_000,
  maxStrikes: 3,
  userAgent: 'seedfleet',
  clock: () => performance.now(),
  wallClock: () => Date.now(),
  timers: realTimers,
  random: Math.random,
};

/** Defaults filled in and numbers checked once, so a bad option fails at construction with its name. */
export function resolveWebSeedOptions(given: Partial<WebSeedOptions> = {}): WebSeedOptions {
  const options = { ...DEFAULT_WEB_SEED_OPTIONS, ...stripUndefined(given) };
  const positive: (keyof WebSeedOptions)[] = ['maxConcurrentRequests', 'maxBytesInFlight', 'maxAttempts', 'stallTimeoutMs', 'rateWindowMs', 'maxStrikes'];
  const nonNegative: (keyof WebSeedOptions)[] = ['backoffBaseMs', 'backoffMaxMs', 'maxRetryAfterMs', 'maxRedirects', 'minBytesPerSecond'];
  for (const name of positive) checkNumber(name, options[name] as number, 1);
  for (const name of nonNegative) checkNumber(name, options[name] as number, 0);
  return options;
}

function checkNumber(name: string, value: number, min: number): void {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`web seed option ${name} must be a number >= ${min}, got ${value}`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
