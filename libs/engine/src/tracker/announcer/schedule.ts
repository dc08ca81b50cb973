import type { AnnounceResult } from '../types';

export interface ScheduleOptions {
  /** First retry after a failed round; doubles with every further failure (default 15 s). */
  readonly retryBaseMs: number;
  /** Cap on the retry delay (default 30 min). */
  readonly retryMaxMs: number;
  /** Never re-announce sooner than this, whatever the tracker says (default 60 s). */
  readonly minAnnounceIntervalMs: number;
  /** Nor later than this (default 24 h). */
  readonly maxAnnounceIntervalMs: number;
}

export const DEFAULT_SCHEDULE: ScheduleOptions = {
  retryBaseMs: 15_000,
  retryMaxMs: 30 * 60_000,
  minAnnounceIntervalMs: 60_000,
  maxAnnounceIntervalMs: 24 * 60 * 60_000,
};

/** Delay until the regular announce after a successful one: the tracker's interval, within our bounds. */
export function intervalDelayMs(result: AnnounceResult, options: ScheduleOptions): number {
  const askedMs = Math.max(result.interval, result.minInterval ?? 0) * 1000;
  return clamp(askedMs, options.minAnnounceIntervalMs, options.maxAnnounceIntervalMs);
}

/** The tracker's `min interval` in ms (bounded like the interval), or our own floor when it sent none. */
export function minIntervalMs(result: AnnounceResult, options: ScheduleOptions): number {
  return clamp((result.minInterval ?? 0) * 1000, options.minAnnounceIntervalMs, options.maxAnnounceIntervalMs);
}

/** Exponential backoff after `failures` failed rounds in a row (1 = the first failure). */
export function retryDelayMs(failures: number, options: ScheduleOptions): number {
  return Math.min(options.retryMaxMs, options.retryBaseMs * 2 ** Math.min(failures - 1, 30));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
