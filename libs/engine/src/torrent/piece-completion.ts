import type { TorrentCore } from './torrent-core';

export interface PieceVerifying {
  /** Verifies the bytes and hands them back (the hash pool may have transferred the original). */
  verifyAndKeep(index: number, data: Buffer): Promise<{ ok: boolean; data: Buffer }>;
}

export interface PieceCompletionHooks {
  /** Stored and verified: announce it. `data` is the good piece (for blame), valid during the call; `senders[block]` sent each block. */
  readonly onStored: (index: number, data: Buffer, senders: readonly string[]) => void;
  /** The hash failed; `senders[block]` sent each block of `data`. */
  readonly onFailed: (index: number, data: Buffer, senders: readonly string[]) => void;
  /** The store refused the write (a full disk): the torrent cannot go on. */
  readonly onStorageError: (error: unknown) => void;
}

/**
 * A complete piece's way out of memory: verify off the event loop, write the verified bytes, and only
 * then mark it had, so the picker's count of partial pieces (the memory budget) covers every buffer until
 * the store has it. A failed hash frees the piece's blocks and names the senders.
 */
export class PieceCompletion {
  private stopped = false;

  constructor(
    private readonly core: TorrentCore,
    private readonly verifier: PieceVerifying,
    private readonly hooks: PieceCompletionHooks,
  ) {}

  complete(index: number): void {
    const piece = this.core.assembler.take(index);
    if (!piece) return;
    void this.finish(index, piece.data, piece.senders).catch((error: unknown) => this.stopped || this.hooks.onStorageError(error));
  }

  stop(): void {
    this.stopped = true;
  }

  private async finish(index: number, buffer: Buffer, senders: readonly string[]): Promise<void> {
    const { picker, store } = this.core;
    let verified: { ok: boolean; data: Buffer };
    try {
      verified = await this.verifier.verifyAndKeep(index, buffer);
    } catch (error) {
      // The pool closed under us (session closing): the piece is simply not had.
      if (!this.stopped) this.hooks.onStorageError(error);
      return;
    }
    if (this.stopped) return;
    if (!verified.ok) {
      picker.pieceFailed(index);
      this.hooks.onFailed(index, verified.data, senders);
      this.core.assembler.recycle(verified.data);
      return;
    }
    try {
      await store.writePiece(index, verified.data);
    } catch (error) {
      if (!this.stopped) this.hooks.onStorageError(error);
      return;
    }
    if (this.stopped) return;
    picker.pieceVerified(index);
    this.core.have.set(index);
    this.hooks.onStored(index, verified.data, senders);
    this.core.assembler.recycle(verified.data);
  }
}
