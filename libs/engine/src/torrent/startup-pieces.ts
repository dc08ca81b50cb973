import type { Metainfo } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import { loadVerifiedPieces } from '../storage/load-verified';
import type { PieceStore } from '../storage/piece-store';
import type { PieceVerifier } from '../storage/piece-verifier';
import type { StartupCheck } from './torrent-types';

export interface StartupInput {
  readonly metainfo: Metainfo;
  readonly store: PieceStore;
  readonly verifier: PieceVerifier;
  readonly seedOnly?: boolean;
  readonly have?: Bitfield;
  readonly resumePath?: string;
  readonly onProgress: (done: number, total: number) => void;
  /** Aborts the check (the torrent stopped meanwhile). */
  readonly signal?: AbortSignal;
}

/**
 * The pieces a torrent starts with: all for `seedOnly`, the given set for `have`, else what
 * loadVerifiedPieces finds (resume data trusted where the files did not change, the rest re-hashed).
 */
export async function startupPieces(input: StartupInput): Promise<{ have: Bitfield; check?: StartupCheck }> {
  const { metainfo, verifier } = input;
  if (input.seedOnly) return { have: Bitfield.full(metainfo.pieceCount) };
  if (input.have) return { have: input.have };
  input.onProgress(0, metainfo.pieceCount);
  const result = await loadVerifiedPieces({
    metainfo,
    store: input.store,
    // Stores hand out pieces the pool may take over (readPiece returns a buffer of the caller's); passing
    // the verifier itself keeps its verifyAndKeep, so a FileStore recheck reuses its piece buffers.
    verifier,
    resumePath: input.resumePath,
    onProgress: input.onProgress,
    signal: input.signal,
  });
  return { have: result.have, check: { checkedPieces: result.checkedPieces, trustedPieces: result.trustedPieces, resumeIgnored: result.resumeIgnored } };
}
