import { randomBytes } from 'node:crypto';
import { BLOCK_SIZE, merkleRoot } from '@seedfleet/metainfo';
import { hashesMessageCount } from '@seedfleet/wire';
import { PieceLayerTree, provenRange, rangeProblem, treeShape } from './piece-layer-tree';

/** A file's piece layer of random hashes and the pieces root it gives (the creator's merkleRoot). */
function fileTree(fileLength: number, pieceLength: number) {
  const shape = treeShape(fileLength, pieceLength);
  const hashes = Array.from({ length: shape.pieces }, () => randomBytes(32));
  const root = merkleRoot(hashes, Math.log2(pieceLength / BLOCK_SIZE));
  return { shape, hashes, root, tree: new PieceLayerTree(shape, Buffer.concat(hashes)) };
}

const range = (root: Buffer, baseLayer: number, index: number, length: number, proofLayers: number) => ({ piecesRoot: root, baseLayer, index, length, proofLayers });

describe('treeShape', () => {
  it.each([
    // [file length, piece length, piece layer, root layer, pieces]
    [6 * 64 * 1024 - 5, 64 * 1024, 2, 5, 6],
    [2 * 64 * 1024, 64 * 1024, 2, 3, 2],
    [1024 * 16 * 1024, 16 * 1024, 0, 10, 1024],
    [16 * 1024, 64 * 1024, 2, 2, 1],
  ])('%i bytes in %i-byte pieces: piece layer %i, root layer %i, %i pieces', (length, pieceLength, pieceLayer, rootLayer, pieces) => {
    expect(treeShape(length, pieceLength)).toEqual({ pieceLayer, rootLayer, pieces });
  });
});

describe('serving and proving hash ranges', () => {
  it.each([
    ['6 pieces of 64 KiB', 6 * 64 * 1024 - 5, 64 * 1024],
    ['2 pieces of 64 KiB', 2 * 64 * 1024, 64 * 1024],
    ['37 pieces of 32 KiB', 37 * 32 * 1024 - 100, 32 * 1024],
    ['600 pieces of 16 KiB (chunks of 512)', 600 * 16 * 1024, 16 * 1024],
  ])('%s: every answer with a full proof proves out to the base hashes; one flipped bit never does', (_name, fileLength, pieceLength) => {
    const { shape, root, tree } = fileTree(fileLength, pieceLength);
    expect(tree.root.equals(root)).toBe(true);
    let checked = 0;
    for (let base = shape.pieceLayer; base < shape.rootLayer; base++) {
      const width = 2 ** (shape.rootLayer - base);
      // Shortest, a middle one and the longest lengths (every length is slow on the big tree and adds nothing).
      for (const length of new Set([2, Math.min(8, width), Math.min(512, width)])) {
        for (let index = 0; index < width; index += length) {
          const full = range(root, base, index, length, shape.rootLayer - base - 1);
          expect(rangeProblem(full, shape)).toBeUndefined();
          const payload = tree.hashes(full);
          expect(payload.length).toBe(hashesMessageCount(full) * 32);
          const proven = provenRange(root, shape, full, payload);
          expect(Buffer.isBuffer(proven) && proven.equals(payload.subarray(0, length * 32))).toBe(true);
          const tampered = Buffer.from(payload);
          tampered[(index * 7919) % tampered.length] ^= 1;
          expect(typeof provenRange(root, shape, full, tampered)).toBe('string');
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('a range whose proof stops short of the root is served (peers may ask) but never taken as proven', () => {
    const { shape, root, tree } = fileTree(600 * 16 * 1024, 16 * 1024);
    const short = range(root, 0, 512, 512, 8); // 8 proof layers: no uncle, the 512-subtree root is not the root
    expect(rangeProblem(short, shape)).toBeUndefined();
    expect(provenRange(root, shape, short, tree.hashes(short))).toBe('the proof does not reach the root');
  });

  it('the last piece hashes past the file are pad hashes, and the proof covers them', () => {
    const { shape, root, tree, hashes } = fileTree(6 * 64 * 1024, 64 * 1024);
    const whole = range(root, shape.pieceLayer, 0, 8, 2);
    const proven = provenRange(root, shape, whole, tree.hashes(whole)) as Buffer;
    expect(proven.subarray(0, 6 * 32).equals(Buffer.concat(hashes))).toBe(true);
    expect(proven.subarray(6 * 32).equals(Buffer.concat([padPiece(), padPiece()]))).toBe(true);
  });

  it.each([
    ['below the piece layer', 1, 0, 2, 0, /below the piece layer/],
    ['a length that is no power of two', 2, 0, 3, 0, /power of two/],
    ['a length of one', 2, 0, 1, 0, /power of two/],
    ['a misaligned index', 2, 2, 4, 0, /multiple of length/],
    ['past the layer', 2, 8, 8, 0, /exceed the layer/],
    ['proof layers up to the root', 2, 0, 2, 3, /proof layers/],
    ['above the root', 6, 0, 2, 0, /above the root/],
  ])('refuses a range %s', (_name, base, index, length, proofLayers, why) => {
    const { shape, root } = fileTree(6 * 64 * 1024 - 5, 64 * 1024);
    expect(rangeProblem(range(root, base, index, length, proofLayers), shape)).toMatch(why);
  });

  it('refuses an answer with the wrong number of hashes or for another root', () => {
    const { shape, root, tree } = fileTree(6 * 64 * 1024 - 5, 64 * 1024);
    const whole = range(root, 2, 0, 8, 2);
    const payload = tree.hashes(whole);
    expect(provenRange(root, shape, whole, payload.subarray(32))).toMatch(/7 hashes for a range that needs 8/);
    expect(provenRange(randomBytes(32), shape, whole, payload)).toBe('the hashes do not hash to the pieces root');
  });
});

function padPiece(): Buffer {
  // Pad hash at the piece layer of 64 KiB pieces: the root of four zero leaves.
  return merkleRoot([], 0, 4);
}
