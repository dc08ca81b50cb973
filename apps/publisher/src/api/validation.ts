import { badRequest } from './api-error';

/** Request-body and parameter checks shared by the controllers; each failure is a 400 with the field named. */
export const PRODUCT_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/;
export const CHANNEL_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
export const MAX_PATH_LENGTH = 1024;
const MAX_PATH_SEGMENT_LENGTH = 255;

export function requireObject(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`${what}: expected a JSON object body (Content-Type: application/json)`);
  return body as Record<string, unknown>;
}

export function matching(value: unknown, field: string, pattern: RegExp, example: string): string {
  if (typeof value !== 'string') throw badRequest(`${field}: required, a string like "${example}"`);
  if (!pattern.test(value)) throw badRequest(`${field}: "${truncate(value)}" does not match ${pattern.source}`);
  return value;
}

export function optionalBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw badRequest(`${field}: expected true or false`);
  return value;
}

export function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw badRequest(`${what}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((key) => `"${truncate(key)}"`).join(', ')} (allowed: ${allowed.join(', ')})`);
}

/**
 * A release file path: `/`-separated, relative, no `.`/`..`/empty segments, no backslash, NUL or other
 * control characters. These paths become object keys and paths inside the torrent on every agent's disk.
 */
export function releaseFilePath(value: unknown, field = 'path'): string {
  if (typeof value !== 'string' || value.length === 0) throw badRequest(`${field}: required, a relative path like "bin/app"`);
  if (value.length > MAX_PATH_LENGTH) throw badRequest(`${field}: longer than ${MAX_PATH_LENGTH} characters`);
  if (value.startsWith('/')) throw badRequest(`${field}: "${truncate(value)}" is absolute; use a path relative to the release`);
  if (value.includes('\\')) throw badRequest(`${field}: "${truncate(value)}" contains a backslash; separate directories with "/"`);
  if (value.includes('\0')) throw badRequest(`${field}: contains a NUL character`);
  if (/[\u0000-\u001f\u007f]/.test(value)) throw badRequest(`${field}: contains a control character`);
  if (/^[A-Za-z]:/.test(value)) throw badRequest(`${field}: "${truncate(value)}" looks like a drive-absolute path`);
  for (const segment of value.split('/')) {
    if (segment === '') throw badRequest(`${field}: "${truncate(value)}" has an empty segment (leading, trailing or double "/")`);
    if (segment === '.' || segment === '..') throw badRequest(`${field}: "${truncate(value)}" contains a "${segment}" segment; paths may not leave or refer to their directory`);
    if (segment.length > MAX_PATH_SEGMENT_LENGTH) throw badRequest(`${field}: a segment is longer than ${MAX_PATH_SEGMENT_LENGTH} characters`);
  }
  return value;
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}
