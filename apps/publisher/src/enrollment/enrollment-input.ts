import { LABEL_PATTERN } from '@seedfleet/tracker';
import { badRequest } from '../api/api-error';
import { rejectUnknownFields, requireObject } from '../api/validation';

export interface TokenRequest {
  readonly zone: string;
  readonly region: string;
  readonly uses: number;
  readonly expiresInSeconds: number;
}

export interface EnrollRequest {
  readonly token: string;
  readonly hostname?: string;
}

export const DEFAULT_TOKEN_USES = 1;
export const MAX_TOKEN_USES = 100_000;
export const DEFAULT_TOKEN_SECONDS = 24 * 60 * 60;
export const MIN_TOKEN_SECONDS = 60;
export const MAX_TOKEN_SECONDS = 365 * 24 * 60 * 60;
/** `sfe_` + 32 random bytes in base64url. */
export const ENROLLMENT_TOKEN_PATTERN = /^sfe_[A-Za-z0-9_-]{43}$/;
const HOSTNAME_PATTERN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** POST /api/enrollment-tokens body: every field optional, each checked. */
export function parseTokenRequest(body: unknown): TokenRequest {
  const fields = requireObject(body ?? {}, 'enrollment token request');
  rejectUnknownFields(fields, ['zone', 'region', 'uses', 'expiresInSeconds'], 'enrollment token request');
  return {
    zone: label(fields.zone, 'zone'),
    region: label(fields.region, 'region'),
    uses: integer(fields.uses, 'uses', DEFAULT_TOKEN_USES, 1, MAX_TOKEN_USES),
    expiresInSeconds: integer(fields.expiresInSeconds, 'expiresInSeconds', DEFAULT_TOKEN_SECONDS, MIN_TOKEN_SECONDS, MAX_TOKEN_SECONDS),
  };
}

/** POST /api/enroll body. A token of the wrong shape is a 400 here; an unknown well-formed one is a 401 later. */
export function parseEnrollRequest(body: unknown): EnrollRequest {
  const fields = requireObject(body, 'enroll request');
  rejectUnknownFields(fields, ['token', 'hostname'], 'enroll request');
  if (typeof fields.token !== 'string' || fields.token.length === 0) throw badRequest('token: required, the enrollment token an admin created with POST /api/enrollment-tokens');
  if (!ENROLLMENT_TOKEN_PATTERN.test(fields.token)) throw badRequest('token: not an enrollment token (expected "sfe_" and 43 base64url characters)');
  if (fields.hostname === undefined) return { token: fields.token };
  if (typeof fields.hostname !== 'string' || !HOSTNAME_PATTERN.test(fields.hostname)) throw badRequest('hostname: expected a DNS host name (letters, digits, "-" and ".", at most 253 characters)');
  return { token: fields.token, hostname: fields.hostname };
}

function label(value: unknown, field: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || !LABEL_PATTERN.test(value)) throw badRequest(`${field}: expected up to 63 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-"`);
  return value;
}

function integer(value: unknown, field: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw badRequest(`${field}: expected an integer from ${min} to ${max}`);
  return value;
}
