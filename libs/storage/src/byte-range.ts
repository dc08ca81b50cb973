import { StorageError, type ByteRange } from './object-store';

/**
 * The inclusive range a get returns for an object of `size` bytes, with HTTP semantics: an end past the
 * last byte is clamped, a start at or past the end (any range of an empty object) is StorageError('bad-range').
 * Without a range the whole object comes back; an empty object gives { start: 0, end: -1 }.
 */
export function resolveRange(key: string, range: ByteRange | undefined, size: number): { start: number; end: number } {
  if (range === undefined) return { start: 0, end: size - 1 };
  checkRangeShape(key, range);
  const { start, end } = range;
  if (start >= size) throw badRange(key, `start ${start} is past the end of the object (${size} bytes)`);
  return { start, end: Math.min(end ?? size - 1, size - 1) };
}

/** The Range header value for a range already checked by the caller's validation. */
export function rangeHeader(range: ByteRange): string {
  return `bytes=${range.start}-${range.end ?? ''}`;
}

/** Checks a range's shape before any request is made (the size is not known yet). */
export function checkRangeShape(key: string, range: ByteRange): void {
  if (!Number.isSafeInteger(range.start) || range.start < 0) {
    throw badRange(key, `start must be a non-negative integer, got ${String(range.start)}`);
  }
  if (range.end !== undefined && (!Number.isSafeInteger(range.end) || range.end < range.start)) {
    throw badRange(key, `end must be an integer >= start (${range.start}), got ${String(range.end)}`);
  }
}

export function badRange(key: string, detail: string): StorageError {
  return new StorageError('bad-range', `bad range for ${key}: ${detail}`, key);
}
