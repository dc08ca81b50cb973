import { createHash } from 'node:crypto';

/** BEP 52 leaf size: every v2 file is hashed in 16 KiB blocks. */
export const BLOCK_SIZE = 16384;

const HASH_SIZE = 32;

// padHash(k) is the root of a subtree of 2^k all-zero leaves; trees are padded with these on the right.
const padHashes: Buffer[] = [Buffer.alloc(HASH_SIZE)];

/** Root of a subtree of 2^level zero leaves (level 0 = 32 zero bytes). Memoised; never mutate the result. */
export function padHash(level: number): Buffer {
  if (!Number.isInteger(level) || level < 0 || level > 64) {
    throw new RangeError(`pad level must be an integer in [0, 64], got ${level}`);
  }
  for (let k = padHashes.length; k <= level; k++) {
    padHashes.push(hashPair(padHashes[k - 1], padHashes[k - 1]));
  }
  return padHashes[level];
}

export function hashPair(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(left).update(right).digest();
}

/** Smallest power of two >= n (1 for n <= 1). */
export function nextPowerOfTwo(n: number): number {
  let width = 1;
  while (width < n) width *= 2;
  return width;
}

/**
 * One layer up: pairs of nodes hashed together, a missing right sibling replaced by padHash(level),
 * where `level` is the pad level of the nodes in `layer`.
 */
export function merkleParentLayer(layer: readonly Buffer[], level: number): Buffer[] {
  const parents: Buffer[] = [];
  for (let i = 0; i < layer.length; i += 2) {
    parents.push(hashPair(layer[i], i + 1 < layer.length ? layer[i + 1] : padHash(level)));
  }
  return parents;
}

/**
 * Root of the tree whose leaves are `hashes` followed by padHash(padLevel) up to `width` leaves
 * (default: the next power of two >= hashes.length). `padLevel` is the level of the given hashes:
 * 0 for block hashes, log2(blocks per piece) for a piece layer.
 */
export function merkleRoot(hashes: readonly Buffer[], padLevel: number, width?: number): Buffer {
  const leaves = width ?? nextPowerOfTwo(hashes.length);
  if (!Number.isInteger(Math.log2(leaves)) || leaves < hashes.length) {
    throw new RangeError(`merkle width must be a power of two >= ${hashes.length}, got ${width}`);
  }
  let depth = Math.log2(leaves);
  if (hashes.length === 0) return padHash(padLevel + depth);
  let layer: readonly Buffer[] = hashes;
  let level = padLevel;
  while (depth > 0) {
    layer = merkleParentLayer(layer, level);
    level++;
    depth--;
  }
  return layer[0];
}
