import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { merkleParentLayer, merkleRoot, nextPowerOfTwo, padHash } from './merkle';

const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

// Reference: expand to full width with zero leaves at level 0, then hash pairs up to the root.
function naiveRoot(leaves: Buffer[], width: number): Buffer {
  let layer = [...leaves];
  while (layer.length < width) layer.push(Buffer.alloc(32));
  while (layer.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(sha256(layer[i], layer[i + 1]));
    layer = next;
  }
  return layer[0];
}

const leafArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes));

describe('merkle', () => {
  it('padHash(0) is 32 zero bytes and each level hashes two of the previous', () => {
    expect(padHash(0)).toEqual(Buffer.alloc(32));
    expect(padHash(1)).toEqual(sha256(Buffer.alloc(64)));
    expect(padHash(5)).toEqual(sha256(padHash(4), padHash(4)));
    expect(padHash(7)).toEqual(naiveRoot([], 128));
  });

  it('rejects nonsense pad levels and widths', () => {
    expect(() => padHash(-1)).toThrow(RangeError);
    expect(() => padHash(1.5)).toThrow(RangeError);
    expect(() => merkleRoot([Buffer.alloc(32)], 0, 3)).toThrow(RangeError);
    expect(() => merkleRoot([Buffer.alloc(32), Buffer.alloc(32)], 0, 1)).toThrow(RangeError);
  });

  it('a single leaf is its own root', () => {
    const leaf = sha256(Buffer.from('x'));
    expect(merkleRoot([leaf], 0)).toBe(leaf);
  });

  it('matches the naive tree for any leaves and width', () => {
    fc.assert(
      fc.property(fc.array(leafArb, { minLength: 1, maxLength: 40 }), fc.nat(3), (leaves, extraDoublings) => {
        const width = nextPowerOfTwo(leaves.length) * 2 ** extraDoublings;
        expect(merkleRoot(leaves, 0, width)).toEqual(naiveRoot(leaves, width));
      }),
    );
  });

  it('a root over piece-layer hashes padded at their level equals the root over all blocks', () => {
    fc.assert(
      fc.property(fc.array(leafArb, { minLength: 5, maxLength: 70 }), fc.integer({ min: 1, max: 3 }), (blocks, pieceLevel) => {
        const perPiece = 2 ** pieceLevel;
        const pieceLayer: Buffer[] = [];
        for (let i = 0; i < blocks.length; i += perPiece) pieceLayer.push(merkleRoot(blocks.slice(i, i + perPiece), 0, perPiece));
        const width = Math.max(nextPowerOfTwo(blocks.length), perPiece);
        expect(merkleRoot(pieceLayer, pieceLevel)).toEqual(naiveRoot(blocks, width));
      }),
    );
  });

  it('an empty tree is the pad hash of its height', () => {
    expect(merkleRoot([], 2, 8)).toEqual(padHash(5));
  });

  it('parent layer pads an odd node with the pad hash of its level', () => {
    const a = sha256(Buffer.from('a'));
    expect(merkleParentLayer([a], 3)).toEqual([sha256(a, padHash(3))]);
  });
});
