/**
 * Milliseconds a Retry-After header asks for (RFC 9110 10.2.3): delay-seconds or an HTTP-date, the latter
 * against `wallClockMs`. Undefined when absent or unreadable (the caller falls back to its own backoff);
 * a date in the past means now.
 */
export function parseRetryAfter(header: string | undefined, wallClockMs: number): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  // Date.parse also takes forms that are no HTTP-date ("1", "2026"); require a weekday-style date with a time.
  if (!/^[A-Za-z]{3,9},? .*\d{1,2}:\d{2}:\d{2}/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - wallClockMs);
}
