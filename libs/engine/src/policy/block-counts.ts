import { PolicyError, checkInteger } from './errors';

/** The block size every client requests (BEP 3 recommends 2^14; most clients refuse more). */
export const BLOCK_SIZE = 16 * 1024;

/**
 * Blocks in each piece of a torrent whose pieces are all `pieceLength` long except the last (v1, or a v2
 * torrent with one file).
 */
export function uniformBlockCounts(totalLength: number, pieceLength: number, blockSize = BLOCK_SIZE): Uint32Array {
  checkInteger('total length', totalLength, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('piece length', pieceLength, 1, Number.MAX_SAFE_INTEGER);
  const pieceCount = Math.ceil(totalLength / pieceLength);
  const lengths = new Array<number>(pieceCount).fill(pieceLength);
  if (pieceCount > 0) lengths[pieceCount - 1] = totalLength - (pieceCount - 1) * pieceLength;
  return blockCountsOf(lengths, blockSize);
}

/** Blocks in each piece given every piece's length (v2: each file's last piece is short). */
export function blockCountsOf(pieceLengths: readonly number[], blockSize = BLOCK_SIZE): Uint32Array {
  checkInteger('block size', blockSize, 1, 2 ** 31);
  const counts = new Uint32Array(pieceLengths.length);
  pieceLengths.forEach((length, piece) => {
    if (!Number.isInteger(length) || length <= 0) {
      throw new PolicyError('bad-argument', `piece ${piece} has length ${length}; pieces are at least one byte`);
    }
    counts[piece] = Math.ceil(length / blockSize);
  });
  return counts;
}
