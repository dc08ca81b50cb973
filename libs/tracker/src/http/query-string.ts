import { failure, type TrackerFailure } from '../core/failure';

/**
 * Parameters as raw bytes: info_hash and peer_id are binary, so no text decoding happens here. Each value
 * is a byte string (latin1: one character per byte, `Buffer.from(value, 'latin1')` gives the bytes):
 * most values are short numbers, read as text, and a Buffer each cost more than the rest of the parsing.
 */
export type RawQuery = ReadonlyMap<string, readonly string[]>;

/**
 * Splits `a=1&info_hash=%12%34...` into byte values per name. `+` is a space (form encoding, as
 * opentracker reads it). A `%` not followed by two hex digits is malformed rather than guessed at.
 */
export function parseRawQuery(query: string, maxParameters: number): RawQuery | TrackerFailure {
  const parameters = new Map<string, string[]>();
  if (query === '') return parameters;
  const pairs = query.split('&');
  if (pairs.length > maxParameters) return failure('request-too-large', `at most ${maxParameters} query parameters`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = percentDecode(equals < 0 ? pair : pair.slice(0, equals));
    const value = percentDecode(equals < 0 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) return failure('malformed-request', 'malformed percent-encoding in the query string');
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

/** Decoding space reused by every call (a query is at most the URL limit, 8 KiB by default). */
let scratch = Buffer.allocUnsafe(8192);

/** The bytes `text` encodes, as a byte string; undefined for a malformed escape. */
function percentDecode(text: string): string | undefined {
  if (!text.includes('%') && !text.includes('+')) return text;
  if (scratch.length < text.length) scratch = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x25) {
      // Two hex digits by table: an info hash is 20 escapes, and slicing and testing each was measurable.
      const high = hexValue(text.charCodeAt(index + 1));
      const low = hexValue(text.charCodeAt(index + 2));
      if (high < 0 || low < 0) return undefined;
      scratch[length++] = (high << 4) | low;
      index += 2;
    } else {
      scratch[length++] = char === 0x2b ? 0x20 : char & 0xff;
    }
  }
  return scratch.toString('latin1', 0, length);
}

/** 0-15 for a hex digit's char code, -1 otherwise (NaN past the end of the text included). */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}
