import { join, resolve } from 'node:path';
import { ConfigError } from '../config/config-error';
import { EnvReader } from '../config/env-reader';
import type { PublisherConfig } from '../config/publisher-config';

/** TUF settings of the publisher (TUF_* in the README's configuration table). */
export interface TrustConfig {
  /** Holds `targets.pem`, `snapshot.pem`, `timestamp.pem` (and `<role>-<n>.pem` for more keys of a role). */
  readonly keysDir: string;
  /** On a first start with no metadata and no keys: generate every key (root too) under keysDir and init. */
  readonly autoInit: boolean;
  /** How often the timer re-signs what is about to expire. */
  readonly refreshIntervalMs: number;
  /** Re-sign the timestamp when it expires within this window; undefined: half its lifetime. */
  readonly refreshWindowMs?: number;
  /** Lifetimes of newly signed metadata. */
  readonly expiry: { readonly root: number; readonly targets: number; readonly snapshot: number; readonly timestamp: number };
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY_MS = UNIT_MS.d;

/** `90d`, `12h`, `5m`, `30s`, `250ms` or a bare number of seconds. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d{1,12})\s*(ms|s|m|h|d)?$/.exec(raw.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * UNIT_MS[match[2] ?? 's'];
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export function loadTrustConfig(config: PublisherConfig, env: Record<string, string | undefined>): TrustConfig {
  const read = new EnvReader(env);
  const duration = (name: string, fallbackMs: number): number => {
    const raw = read.optional(name);
    if (raw === undefined) return fallbackMs;
    const value = parseDuration(raw);
    if (value === undefined) read.problems.push(`${name}: expected a duration like 30s, 5m, 12h or 90d, got "${raw}"`);
    return value ?? fallbackMs;
  };
  const keysDir = resolve(read.string('TUF_KEYS_DIR', join(config.dataDir, 'keys')));
  const autoInit = read.boolean('TUF_AUTO_INIT', true);
  const refreshIntervalMs = duration('TUF_TIMESTAMP_REFRESH', 5 * UNIT_MS.m);
  const window = read.optional('TUF_TIMESTAMP_RESIGN_BEFORE');
  const expiry = {
    root: duration('TUF_ROOT_EXPIRES', 365 * DAY_MS),
    targets: duration('TUF_TARGETS_EXPIRES', 90 * DAY_MS),
    snapshot: duration('TUF_SNAPSHOT_EXPIRES', 7 * DAY_MS),
    timestamp: duration('TUF_TIMESTAMP_EXPIRES', DAY_MS),
  };
  const refreshWindowMs = window === undefined ? undefined : duration('TUF_TIMESTAMP_RESIGN_BEFORE', expiry.timestamp / 2);
  if (refreshWindowMs !== undefined && refreshWindowMs >= expiry.timestamp) read.problems.push('TUF_TIMESTAMP_RESIGN_BEFORE: must be shorter than TUF_TIMESTAMP_EXPIRES');
  if (refreshIntervalMs >= (refreshWindowMs ?? expiry.timestamp / 2)) {
    read.problems.push('TUF_TIMESTAMP_REFRESH: must be shorter than the re-sign window (TUF_TIMESTAMP_RESIGN_BEFORE, default half of TUF_TIMESTAMP_EXPIRES), or the timestamp can expire between two runs');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { keysDir, autoInit, refreshIntervalMs, refreshWindowMs, expiry };
}
