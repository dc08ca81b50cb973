import { BencodeError, type BencodeErrorCode, type BValue, decode, type DecodeOptions, encode } from '@seedfleet/bencode';
import fc from 'fast-check';
import { decodedValue, encodableValue, expectedDecode, nodes, ordered } from './arbitraries';

const ERROR_CODES: BencodeErrorCode[] = [
  'unexpected-eof', 'expected-value', 'expected-digit', 'expected-colon', 'expected-e', 'leading-zero', 'negative-zero',
  'integer-too-long', 'string-too-long', 'depth-exceeded', 'too-many-tokens', 'trailing-bytes', 'key-not-string',
];
// Every limit lifted: a re-decode must accept whatever a first decode under looser limits (e.g. maxIntegerDigits 21) returned.
const UNLIMITED: DecodeOptions = { maxDepth: Infinity, maxTokens: Infinity, maxIntegerDigits: Infinity };

/** Bytes drawn mostly from bencode's own alphabet, so random input gets past the first byte. */
const bencodeLike = fc
  .array(fc.oneof(fc.constantFrom(...Buffer.from('ilde:-0123456789')), fc.integer({ min: 0, max: 255 })), { maxLength: 300 })
  .map((array) => Buffer.from(array));

const smallLimits: fc.Arbitrary<DecodeOptions> = fc.record(
  {
    maxDepth: fc.integer({ min: 0, max: 6 }),
    maxTokens: fc.integer({ min: 0, max: 30 }),
    maxStringLength: fc.integer({ min: 0, max: 20 }),
    maxIntegerDigits: fc.integer({ min: 0, max: 25 }),
    allowTrailingBytes: fc.boolean(),
  },
  { requiredKeys: [] },
);

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(input: Buffer, change: Mutation): Buffer {
  const at = change.at % (input.length + 1);
  switch (change.kind) {
    case 'set': {
      const copy = Buffer.from(input);
      if (at < copy.length) copy[at] = change.byte;
      return copy;
    }
    case 'truncate':
      return input.subarray(0, at);
    case 'insert':
      return Buffer.concat([input.subarray(0, at), change.bytes, input.subarray(at)]);
    case 'delete':
      return Buffer.concat([input.subarray(0, at), input.subarray(at + change.count)]);
  }
}

/**
 * Decodes anything: the only failure allowed is a BencodeError with a known code and an offset inside the
 * input. A success must survive decode -> encode -> decode, and canonical input must re-encode to itself.
 */
function checkDecodeOf(input: Buffer, options?: DecodeOptions): void {
  let decoded;
  try {
    decoded = decode(input, options);
  } catch (error) {
    if (!(error instanceof BencodeError)) throw error;
    expect(ERROR_CODES).toContain(error.code);
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(input.length);
    expect(error.message).toMatch(/^bencode: .+ at offset \d+$/);
    return;
  }
  const reencoded = encode(decoded.value);
  const again = decode(reencoded, UNLIMITED).value;
  // Re-encoding sorts the keys of a non-canonical dict, so only canonical input keeps its key order.
  if (decoded.canonical) expect(ordered(again)).toEqual(ordered(decoded.value));
  else expect(again).toEqual(decoded.value);
  const root = decoded.value;
  const rootBytes = typeof root === 'number' || typeof root === 'bigint' ? undefined : decoded.raw(root);
  if (decoded.canonical && rootBytes !== undefined) expect(reencoded).toEqual(rootBytes);
}

describe('properties', () => {
  it('decode(encode(v)) returns v, canonical, with every node spanning its own encoding', () => {
    fc.assert(
      fc.property(decodedValue, (value) => {
        const decoded = decode(encode(value), UNLIMITED);
        expect(ordered(decoded.value)).toEqual(ordered(value));
        expect(decoded.canonical).toBe(true);
        for (const node of nodes(decoded.value)) expect(decoded.raw(node)).toEqual(encode(node));
      }),
      { numRuns: 500 },
    );
  });

  it('encodes text, plain objects and Uint8Arrays as documented', () => {
    fc.assert(
      fc.property(encodableValue, (value) => {
        const decoded = decode(encode(value), UNLIMITED);
        expect(ordered(decoded.value)).toEqual(ordered(expectedDecode(value)));
        expect(decoded.canonical).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('arbitrary bytes never throw anything but BencodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }).map((array) => Buffer.from(array)), (input) => checkDecodeOf(input)), {
      numRuns: 2000,
    });
  });

  it('bencode-like bytes under random limits never throw anything but BencodeError', () => {
    fc.assert(fc.property(bencodeLike, smallLimits, (input, limits) => checkDecodeOf(input, limits)), { numRuns: 3000 });
  });

  it('mutated valid encodings never throw anything but BencodeError', () => {
    fc.assert(
      fc.property(decodedValue, fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.option(smallLimits, { nil: undefined }), (value, changes, limits) => {
        const input = changes.reduce<Buffer>(mutate, encode(value));
        checkDecodeOf(input, limits);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same error in a Uint8Array view as in a Buffer of the same bytes', () => {
    fc.assert(
      fc.property(bencodeLike, fc.nat({ max: 16 }), (input, padding) => {
        const backing = new Uint8Array(padding + input.length + padding);
        backing.set(input, padding);
        const view = backing.subarray(padding, padding + input.length);
        const outcome = (bytes: Uint8Array): unknown => {
          try {
            const decoded = decode(bytes);
            return ordered(decoded.value as BValue);
          } catch (error) {
            return error instanceof BencodeError ? [error.code, error.offset] : error;
          }
        };
        expect(outcome(view)).toEqual(outcome(input));
      }),
      { numRuns: 500 },
    );
  });
});
