import type { PieceGeometry } from '../peer/peer-options';
import { BLOCK_SIZE, type BlockRef as PickerBlock } from '../policy';
import type { BlockRef as WireBlock } from '@seedfleet/wire';

/** The picker numbers blocks within a piece; the wire speaks byte offsets and lengths. */
export function toWireBlock(geometry: PieceGeometry, block: PickerBlock): WireBlock {
  const begin = block.block * BLOCK_SIZE;
  return { index: block.piece, begin, length: Math.min(BLOCK_SIZE, geometry.pieceSize(block.piece) - begin) };
}

/** The picker's block number for a wire block, or -1 when it is not one of our 16 KiB blocks. */
export function blockNumber(geometry: PieceGeometry, index: number, begin: number, length: number): number {
  if (begin % BLOCK_SIZE !== 0) return -1;
  const expected = Math.min(BLOCK_SIZE, geometry.pieceSize(index) - begin);
  return length === expected ? begin / BLOCK_SIZE : -1;
}
