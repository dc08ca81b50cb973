import type { BlockRef } from '@seedfleet/wire';

const BEGIN_RANGE = 2 ** 32;

/**
 * One number per (index, begin): exact in a double because indices stay below MAX_PIECE_COUNT (2^21) and
 * offsets below 2^32, so request maps need no string keys or nested maps.
 */
export function blockKey(index: number, begin: number): number {
  return index * BEGIN_RANGE + begin;
}

export function blockOfKey(key: number, length: number): BlockRef {
  return { index: Math.floor(key / BEGIN_RANGE), begin: key % BEGIN_RANGE, length };
}
