import { Bitfield } from '@seedfleet/wire';
import type { PieceStore } from '../storage/piece-store';
import type { PieceVerifying } from './piece-completion';

export interface StartupCheckInput {
  readonly pieceCount: number;
  readonly store: PieceStore;
  readonly verifier: PieceVerifying;
  readonly onProgress?: (checked: number, total: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * Which pieces the store already holds, by re-hashing each (a missing or unreadable piece is simply
 * absent). A full check without resume data; storage/'s loadVerifiedPieces replaces it where resume data
 * can spare the work.
 */
export async function checkStoredPieces(input: StartupCheckInput): Promise<Bitfield> {
  const have = new Bitfield(input.pieceCount);
  for (let index = 0; index < input.pieceCount; index++) {
    input.signal?.throwIfAborted();
    let data: Buffer | undefined;
    try {
      // A copy the hash pool may take over: store reads can be views of the store's own memory.
      data = Buffer.from(await input.store.readPiece(index));
    } catch {
      data = undefined;
    }
    if (data && (await input.verifier.verifyAndKeep(index, data)).ok) have.set(index);
    input.onProgress?.(index + 1, input.pieceCount);
  }
  return have;
}
