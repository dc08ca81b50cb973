import type { BlockRef, PeerId } from './block-state';
import { IN_FLIGHT, type PickerState, blockKey } from './picker-state';

/**
 * Endgame: every wanted piece is in flight and this peer could get no free block, so it is asked for
 * blocks other peers are already fetching, lest one slow peer hold up the last pieces. Blocks with the
 * fewest requesters go first and no block gets more than `maxRequesters`, which bounds the bytes wasted
 * on duplicates; whoever delivers first wins and the others get cancels (see PiecePicker.blockReceived).
 */
export function requestDuplicates(
  state: PickerState,
  peer: PeerId,
  eligible: (piece: number) => boolean,
  count: number,
  maxRequesters: number,
  out: BlockRef[],
): void {
  const requests = state.peers.get(peer)!.requests;
  for (let requesters = 1; requesters < maxRequesters; requesters++) {
    for (const [piece, partial] of state.partials) {
      if (state.states[piece] !== IN_FLIGHT || !eligible(piece)) continue;
      for (let block = 0; block < partial.blockCount; block++) {
        if (out.length >= count) return;
        const current = partial.requestersOf(block);
        if (current.length !== requesters || current.includes(peer)) continue;
        partial.request(block, peer);
        requests.add(blockKey(piece, block));
        out.push({ piece, block });
      }
    }
  }
}
