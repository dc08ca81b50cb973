import fc from 'fast-check';
import { decodeFrame } from './decode';
import { WireError } from './errors';
import { hashesMessageCount, hashRangeProblem } from './hash-range';
import { resolveLimits } from './limits';

const root = Buffer.alloc(32, 7);
const range = (baseLayer: number, index: number, length: number, proofLayers: number) => ({ piecesRoot: root, baseLayer, index, length, proofLayers });

it.each([
  [range(2, 0, 8, 2), undefined],
  [range(0, 1024, 512, 9), undefined],
  [range(0, 0, 1, 0), /power of two/],
  [range(0, 0, 1024, 0), /power of two in \[2, 512\]/],
  [range(0, 0, 6, 0), /power of two/],
  [range(0, 4, 8, 0), /multiple of length/],
  [range(50, 0, 2, 0), /above any tree/],
  [range(0, 0, 2, 50), /exceed any tree/],
  [{ ...range(0, 0, 2, 0), piecesRoot: Buffer.alloc(20) }, /pieces root of 20 bytes/],
])('hashRangeProblem(%o)', (given, expected) => {
  const problem = hashRangeProblem(given);
  if (expected === undefined) expect(problem).toBeUndefined();
  else expect(problem).toMatch(expected);
});

it('counts the uncles of a hashes message the way libtorrent does', () => {
  expect(hashesMessageCount({ length: 8, proofLayers: 2 })).toBe(8); // the whole layer: no uncle
  expect(hashesMessageCount({ length: 512, proofLayers: 9 })).toBe(513); // half of 1024: one uncle
  expect(hashesMessageCount({ length: 2, proofLayers: 0 })).toBe(2);
  expect(hashesMessageCount({ length: 2, proofLayers: 4 })).toBe(6);
});

it('arbitrary hash request, hashes and hash reject frames decode or fail with a WireError; decoded ranges are judged without throwing', () => {
  const limits = resolveLimits();
  fc.assert(
    fc.property(fc.constantFrom(21, 22, 23), fc.uint8Array({ maxLength: 49 + 32 * 4 }), (id, body) => {
      let decoded;
      try {
        decoded = decodeFrame(Buffer.concat([Buffer.from([id]), body]), limits);
      } catch (error) {
        expect(error).toBeInstanceOf(WireError);
        return;
      }
      if (decoded.type !== 'hash-request' && decoded.type !== 'hashes' && decoded.type !== 'hash-reject') throw new Error(`decoded as ${decoded.type}`);
      const problem = hashRangeProblem(decoded);
      if (problem === undefined) expect(hashesMessageCount(decoded)).toBeLessThanOrEqual(512 + 50);
    }),
    { numRuns: 2000 },
  );
});
