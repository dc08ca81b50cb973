import type { PieceBuffers } from './piece-buffers';

/** Copies incoming chunks into piece buffers; hands out each piece as it fills up. */
export class PieceCutter {
  private piece: Buffer;
  private filled = 0;

  constructor(private readonly buffers: PieceBuffers) {
    this.piece = buffers.take();
  }

  /** Full pieces completed by this chunk; each now belongs to the caller. */
  *push(chunk: Uint8Array): Generator<Buffer> {
    for (let used = 0; used < chunk.length; ) {
      const taken = Math.min(chunk.length - used, this.piece.length - this.filled);
      this.piece.set(chunk.subarray(used, used + taken), this.filled);
      used += taken;
      this.filled += taken;
      if (this.filled === this.piece.length) {
        yield this.piece;
        this.piece = this.buffers.take();
        this.filled = 0;
      }
    }
  }

  /** The partial piece so far (the buffer stays with the cutter) and how much of it is filled. */
  rest(): { piece: Buffer; filled: number } {
    return { piece: this.piece, filled: this.filled };
  }

  /** Gives the current buffer back; call when done and the rest has been copied or hashed from a copy. */
  release(): void {
    this.buffers.give(this.piece);
  }
}
