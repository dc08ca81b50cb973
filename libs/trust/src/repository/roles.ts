import type { TufPublicKey } from '../keys/tuf-key';
import { TrustError } from '../trust-error';

export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';
/** The roles the publisher signs for online; root is signed offline. */
export type OnlineRoleName = Exclude<RoleName, 'root'>;
export const ONLINE_ROLES: readonly OnlineRoleName[] = ['targets', 'snapshot', 'timestamp'];

/** Who may sign a role: its keys and how many of them must sign. */
export interface RoleKeys {
  readonly keys: readonly TufPublicKey[];
  readonly threshold: number;
}

/** How long each role's metadata is valid after it is signed, in milliseconds. */
export interface ExpiryPolicy {
  readonly root: number;
  readonly targets: number;
  readonly snapshot: number;
  readonly timestamp: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const DEFAULT_EXPIRY: ExpiryPolicy = { root: 365 * DAY_MS, targets: 90 * DAY_MS, snapshot: 7 * DAY_MS, timestamp: DAY_MS };

/** The defaults overridden by `overrides`, each checked to be a positive whole number of milliseconds. */
export function expiryPolicy(overrides: Partial<ExpiryPolicy> = {}): ExpiryPolicy {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, lifetimeMs]) => lifetimeMs !== undefined));
  const policy: ExpiryPolicy = { ...DEFAULT_EXPIRY, ...given };
  for (const [role, lifetimeMs] of Object.entries(policy)) checkLifetime(`expiry.${role}`, lifetimeMs);
  return policy;
}

export function checkLifetime(label: string, lifetimeMs: number): number {
  if (!Number.isSafeInteger(lifetimeMs) || lifetimeMs <= 0) throw new TrustError('invalid-argument', `${label} must be a positive whole number of milliseconds, got ${lifetimeMs}`);
  return lifetimeMs;
}

/** TUF's expiry format, `YYYY-MM-DDTHH:MM:SSZ` (no fractional seconds). */
export function expiryString(now: Date, lifetimeMs: number): string {
  return new Date(Math.floor((now.getTime() + lifetimeMs) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
