import type { ReadIntoSource } from './file-store';
import { type PieceStore, StorageError } from './piece-store';

/** The PieceVerifier shape (the torrent's Sha1Verifier fits too); verifyAndKeep lets buffers be reused. */
export interface PieceVerifierLike {
  verify(index: number, data: Buffer): Promise<boolean>;
  verifyAndKeep?(index: number, data: Buffer): Promise<{ ok: boolean; data: Buffer }>;
}

export type PieceCheckResult = 'good' | 'bad' | 'absent';

/**
 * Reads one piece from the store and hashes it. When the store reads into given buffers and the verifier
 * hands bytes back, the same few piece buffers go round (disk → hash worker → back) instead of a new one
 * per piece: at GB/s, fresh buffers kept the garbage collector busy on the event loop.
 */
export class PieceRechecker {
  private readonly free: Buffer[] = [];
  private readonly reuse: boolean;

  constructor(
    private readonly store: PieceStore,
    private readonly verifier: PieceVerifierLike,
    private readonly pieceLength: number,
  ) {
    this.reuse = isReadIntoSource(store) && typeof verifier.verifyAndKeep === 'function';
  }

  async check(index: number, signal?: AbortSignal): Promise<PieceCheckResult> {
    const buffer = this.reuse ? (this.free.pop() ?? Buffer.allocUnsafeSlow(this.pieceLength)) : undefined;
    const piece = await this.read(index, buffer);
    signal?.throwIfAborted();
    if (piece === undefined) {
      if (buffer) this.free.push(buffer);
      return 'absent';
    }
    if (buffer === undefined) return (await this.verifier.verify(index, piece)) ? 'good' : 'bad';
    const { ok, data } = await this.verifier.verifyAndKeep!(index, piece);
    // The pool transferred the buffer and sent it back as `data`, or (a short piece's view) hashed a copy.
    const back = buffer.buffer.byteLength > 0 ? buffer : data.buffer.byteLength === this.pieceLength ? Buffer.from(data.buffer) : undefined;
    if (back) this.free.push(back);
    return ok ? 'good' : 'bad';
  }

  /** The piece's bytes, or undefined when its file is missing or too short: such a piece is simply absent. */
  private async read(index: number, buffer: Buffer | undefined): Promise<Buffer | undefined> {
    try {
      return buffer ? await (this.store as PieceStore & ReadIntoSource).readPieceInto(index, buffer) : await this.store.readPiece(index);
    } catch (error) {
      if (error instanceof StorageError && error.code === 'missing') return undefined;
      throw error;
    }
  }
}

function isReadIntoSource(store: PieceStore): store is PieceStore & ReadIntoSource {
  return typeof (store as Partial<ReadIntoSource>).readPieceInto === 'function';
}
