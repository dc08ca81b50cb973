import { type BEncodable, type BValue, textKey } from '@seedfleet/bencode';
import fc from 'fast-check';

const bytes = fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array));
/** Integers as the decoder returns them: a number when safe, a bigint beyond. */
const integer = fc.oneof(
  fc.maxSafeInteger(),
  // Up to 20 digits, the default maxIntegerDigits.
  fc.bigInt({ min: -(10n ** 20n - 1n), max: 10n ** 20n - 1n }).map((big) => (isSafe(big) ? Number(big) : big)),
);
/** Any bytes as a binary-string key (one char per byte). */
const binaryKey = fc.string({ unit: 'binary-ascii', maxLength: 12 });

/** Values shaped exactly as decode() returns them, dict keys in byte order. */
export const decodedValue: fc.Arbitrary<BValue> = fc.letrec<{ value: BValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    bytes,
    integer,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(binaryKey, tie('value')), { maxLength: 5 }).map((entries) => sortedMap(new Map(entries))),
  ),
})).value;

/** Everything encode() accepts, including text, plain objects, Uint8Arrays and skipped undefined values. */
export const encodableValue: fc.Arbitrary<BEncodable> = fc.letrec<{ value: BEncodable }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    bytes,
    fc.uint8Array({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 20 }),
    integer,
    fc.bigInt({ min: -1000n, max: 1000n }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.option(tie('value'), { nil: undefined }), { maxKeys: 5 }),
    fc.array(fc.tuple(binaryKey, tie('value')), { maxLength: 5 }).map((entries) => new Map<string, BEncodable>(entries)),
  ),
})).value;

/** What decode(encode(value)) should give for an encodable value. */
export function expectedDecode(value: BEncodable): BValue {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'bigint') return isSafe(value) ? Number(value) : value;
  if (typeof value === 'number') return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) return value.map(expectedDecode);
  const entries = value instanceof Map ? [...value] : Object.entries(value).map(([key, item]) => [textKey(key), item] as const);
  const dict = new Map<string, BValue>();
  for (const [key, item] of entries) {
    if (item !== undefined) dict.set(typeof key === 'string' ? key : key.toString('latin1'), expectedDecode(item));
  }
  return sortedMap(dict);
}

/**
 * The value as nested arrays, dict entries in their order, so equality also checks key order (Jest
 * compares Maps regardless of order).
 */
export function ordered(value: BValue): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value instanceof Map) return { dict: [...value].map(([key, item]) => [key, ordered(item)]) };
  return value;
}

/** Every list, dict and byte string inside `value`, itself included. */
export function nodes(value: BValue): Array<Buffer | BValue[] | Map<string, BValue>> {
  const found: Array<Buffer | BValue[] | Map<string, BValue>> = [];
  const pending: BValue[] = [value];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (typeof node === 'number' || typeof node === 'bigint') continue;
    found.push(node);
    if (Array.isArray(node)) for (const item of node) pending.push(item);
    else if (node instanceof Map) for (const item of node.values()) pending.push(item);
  }
  return found;
}

function sortedMap<V>(map: Map<string, V>): Map<string, V> {
  const keyBytes = (key: string) => Buffer.from(key, 'latin1');
  return new Map([...map].sort(([a], [b]) => Buffer.compare(keyBytes(a), keyBytes(b))));
}

function isSafe(big: bigint): boolean {
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER);
}
