import { MAX_PRIORITY, type PeerRecord, type PickerState } from './picker-state';

/**
 * Queued pieces `record`'s peer has, to start next: highest priority first, rarest first within a priority
 * (or in random order while `randomly`, libtorrent's initial random pieces, so a newcomer quickly has
 * something to trade). Collects about `blocksWanted` blocks' worth, at most `room` pieces, in one scan.
 */
export function chooseNewPieces(state: PickerState, record: PeerRecord, blocksWanted: number, room: number, randomly: boolean): number[] {
  const chosen: number[] = [];
  if (blocksWanted <= 0 || room <= 0) return chosen;
  let blocks = 0;
  const visit = (piece: number): boolean => {
    if (record.bits !== undefined && !record.bits.has(piece)) return false;
    chosen.push(piece);
    blocks += state.blockCounts[piece];
    return blocks >= blocksWanted || chosen.length >= room;
  };
  // Bucket 0 holds pieces only seeds have; a non-seed peer has none of them, so its scan skips them.
  const firstBucket = record.bits === undefined ? 0 : 1;
  for (let priority = MAX_PRIORITY; priority > 0; priority--) {
    const index = state.indexes[priority];
    if (index === undefined || index.size === 0) continue;
    if (randomly) index.scanRandom(state.random, visit);
    else index.scanRarest(state.random, firstBucket, visit);
    if (blocks >= blocksWanted || chosen.length >= room) break;
  }
  return chosen;
}
