import { BLOCK_SIZE } from '../policy';
import type { Requester } from './requester';
import type { TorrentCore } from './torrent-core';

export interface WholePieceHooks {
  readonly peers: { readonly requester: Pick<Requester, 'cancelAt'> };
  /** Every block of the piece is in the assembler: verify and store it. */
  readonly onPieceComplete: (index: number) => void;
}

/**
 * A whole piece from a source that claimed it (a web seed): into the picker and the assembler as if each
 * block came from `source`, so verification, blame and endgame cancels work as for peers' blocks. Blocks
 * peers delivered first (endgame) are kept; a piece peers finished already is dropped.
 */
export function deliverWholePiece(core: TorrentCore, source: string, index: number, data: Buffer, hooks: WholePieceHooks): void {
  const { picker, assembler } = core;
  if (picker.pieceState(index) !== 'in-flight') return;
  const blockCount = picker.blockCount(index);
  const accepted: number[] = [];
  let complete = false;
  for (let block = 0; block < blockCount; block++) {
    const result = picker.blockReceived(source, index, block);
    if (result.outcome !== 'accepted') continue;
    accepted.push(block);
    for (const peerId of result.cancel) hooks.peers.requester.cancelAt(peerId, { piece: index, block });
    complete ||= result.pieceComplete;
  }
  if (accepted.length === blockCount && !assembler.has(index)) {
    assembler.adopt(index, data, source);
  } else {
    for (const block of accepted) {
      const begin = block * BLOCK_SIZE;
      assembler.write(index, block, begin, data.subarray(begin, Math.min(data.length, begin + BLOCK_SIZE)), source);
    }
  }
  if (complete) hooks.onPieceComplete(index);
}

/** A claimed piece `source` will not deliver: its blocks are free again (queued if nobody else sent any). */
export function releaseClaim(core: TorrentCore, source: string, index: number, requester: Pick<Requester, 'dropIdleBuffers'>): void {
  const { picker } = core;
  for (let block = 0; block < picker.blockCount(index); block++) picker.release(source, index, block);
  requester.dropIdleBuffers([index]);
}
