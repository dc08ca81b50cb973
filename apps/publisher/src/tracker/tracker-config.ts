import { readFileSync } from 'node:fs';
import { DEFAULT_HTTP_TRACKER_OPTIONS, DEFAULT_TRACKER_OPTIONS, trustedProxySet, validateTrackerOptions, type AccessMode, type HttpTrackerOptions, type TrackerOptions } from '@seedfleet/tracker';
import { ConfigError } from '../config/config-error';
import { EnvReader } from '../config/env-reader';

export interface TrackerConfig {
  readonly tracker: TrackerOptions;
  readonly http: HttpTrackerOptions;
  /** Redis for swarms when it should not be the publisher's (queues need noeviction, swarms expire). */
  readonly redisUrl?: string;
  readonly keyPrefix: string;
  /** Undefined: no UDP tracker (the default: UDP carries no passkey, so it only serves open mode). */
  readonly udpPort?: number;
  /** Hex secret for UDP connection ids; undefined: shared through Redis. */
  readonly udpSecret?: Buffer;
}

/**
 * TRACKER_* variables (README configuration table), validated once at boot with every problem reported.
 * TRACKER_MODE private (default) | open; TRACKER_ALLOW_FILE (open mode: hex info hashes, one per line).
 */
export function loadTrackerConfig(env: Record<string, string | undefined> = process.env): TrackerConfig {
  const read = new EnvReader(env);
  const mode = read.string('TRACKER_MODE', 'private');
  const allowFile = read.optional('TRACKER_ALLOW_FILE');
  const access = accessMode(mode, allowFile, read.problems);
  const intervalSeconds = integer(read, 'TRACKER_INTERVAL', DEFAULT_TRACKER_OPTIONS.intervalSeconds);
  const tracker: TrackerOptions = {
    ...DEFAULT_TRACKER_OPTIONS,
    access,
    intervalSeconds,
    minIntervalSeconds: integer(read, 'TRACKER_MIN_INTERVAL', Math.min(DEFAULT_TRACKER_OPTIONS.minIntervalSeconds, intervalSeconds)),
    maxNumWant: integer(read, 'TRACKER_MAX_NUMWANT', DEFAULT_TRACKER_OPTIONS.maxNumWant),
    defaultNumWant: integer(read, 'TRACKER_DEFAULT_NUMWANT', DEFAULT_TRACKER_OPTIONS.defaultNumWant),
    trackerId: read.string('TRACKER_ID', DEFAULT_TRACKER_OPTIONS.trackerId),
  };
  try {
    validateTrackerOptions(tracker);
  } catch (error) {
    read.problems.push((error as Error).message);
  }
  const trustedProxies = (read.optional('TRACKER_TRUSTED_PROXIES') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  try {
    trustedProxySet(trustedProxies);
  } catch (error) {
    read.problems.push(`TRACKER_TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  const udpPortText = read.optional('TRACKER_UDP_PORT');
  const udpPort = udpPortText === undefined ? undefined : read.port('TRACKER_UDP_PORT', 0);
  const secretHex = read.optional('TRACKER_SECRET');
  if (secretHex !== undefined && !/^([0-9a-fA-F]{2}){16,}$/.test(secretHex)) read.problems.push('TRACKER_SECRET: expected at least 32 hex digits');
  const config: TrackerConfig = {
    tracker,
    http: { ...DEFAULT_HTTP_TRACKER_OPTIONS, trustedProxies },
    redisUrl: read.url('TRACKER_REDIS_URL', ['redis:', 'rediss:']),
    keyPrefix: read.string('TRACKER_KEY_PREFIX', 'seedfleet:tracker:'),
    udpPort,
    udpSecret: secretHex === undefined ? undefined : Buffer.from(secretHex, 'hex'),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

function accessMode(mode: string, allowFile: string | undefined, problems: string[]): AccessMode {
  if (mode === 'private') {
    if (allowFile !== undefined) problems.push('TRACKER_ALLOW_FILE: only used with TRACKER_MODE=open');
    return { kind: 'private' };
  }
  if (mode !== 'open') {
    problems.push(`TRACKER_MODE: expected private or open, got "${mode}"`);
    return { kind: 'private' };
  }
  if (allowFile === undefined) return { kind: 'open' };
  try {
    const entries = readFileSync(allowFile, 'utf8').split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim()).filter(Boolean);
    const bad = entries.find((entry) => !/^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(entry));
    if (bad !== undefined) problems.push(`TRACKER_ALLOW_FILE: '${bad}' is not a hex info hash`);
    return { kind: 'open', allow: new Set(entries.map((entry) => entry.slice(0, 40).toLowerCase())) };
  } catch (error) {
    problems.push(`TRACKER_ALLOW_FILE: cannot read ${allowFile}: ${(error as Error).message}`);
    return { kind: 'open', allow: new Set() };
  }
}

function integer(read: EnvReader, name: string, fallback: number): number {
  const raw = read.optional(name);
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    read.problems.push(`${name}: expected a non-negative integer, got "${raw}"`);
    return fallback;
  }
  return Number(raw);
}
