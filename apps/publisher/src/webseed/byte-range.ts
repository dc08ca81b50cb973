/** What a GET/HEAD with this Range header gets for a representation of `size` bytes (RFC 9110 §14). */
export type RangeDecision =
  | { readonly kind: 'whole' }
  | { readonly kind: 'partial'; readonly start: number; readonly end: number }
  | { readonly kind: 'unsatisfiable' };

const WHOLE: RangeDecision = { kind: 'whole' };
const UNSATISFIABLE: RangeDecision = { kind: 'unsatisfiable' };
/** More ranges than this in one header is not a client fetching pieces: ignore the header (200). */
const MAX_RANGES = 64;
const RANGE_SPEC = /^(\d*)-(\d*)$/;

/**
 * Decides a byte range the way nginx with `max_ranges 1`-like behaviour would, minus multipart: one range
 * is served as 206; for several, the first satisfiable one is served as a single-part 206 (RFC 9110 lets a
 * server send fewer ranges than asked; the client reads Content-Range). BitTorrent web-seed clients
 * (libtorrent, aria2, ours) only ever ask for one. A header that is not `bytes=` with valid specs is
 * ignored (200, whole), as RFC 9110 allows; only syntactically valid but unsatisfiable ranges get 416.
 * `end` is inclusive and clamped to the last byte.
 */
export function decideRange(header: string | undefined, size: number): RangeDecision {
  if (header === undefined) return WHOLE;
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return WHOLE;
  const specs = match[1].split(',').map((spec) => spec.trim()).filter((spec) => spec.length > 0);
  if (specs.length === 0 || specs.length > MAX_RANGES) return WHOLE;
  let first: RangeDecision | undefined;
  for (const spec of specs) {
    const parsed = RANGE_SPEC.exec(spec);
    if (!parsed || (parsed[1] === '' && parsed[2] === '')) return WHOLE;
    if (parsed[1] !== '' && parsed[2] !== '' && Number(parsed[2]) < Number(parsed[1])) return WHOLE;
    first ??= satisfiable(parsed[1], parsed[2], size);
  }
  return first ?? UNSATISFIABLE;
}

/** Digit strings only reach here, so Number() is a non-negative integer or Infinity (clamped below). */
function satisfiable(startText: string, endText: string, size: number): RangeDecision | undefined {
  if (startText === '') {
    // Suffix range: the last N bytes. A suffix of 0 bytes, or any suffix of an empty body, is unsatisfiable.
    const length = Number(endText);
    if (length === 0 || size === 0) return undefined;
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(startText);
  if (start >= size) return undefined;
  const end = endText === '' ? size - 1 : Math.min(Number(endText), size - 1);
  return { kind: 'partial', start, end };
}

/** `bytes 0-99/1000` for a 206, `bytes *\/1000` for a 416. */
export function contentRange(decision: RangeDecision, size: number): string | undefined {
  if (decision.kind === 'partial') return `bytes ${decision.start}-${decision.end}/${size}`;
  if (decision.kind === 'unsatisfiable') return `bytes */${size}`;
  return undefined;
}
