/**
 * Piece-sized buffers handed to the hash pool and given back with the result, so steady-state creation
 * allocates nothing. At most `keep` are kept; the in-flight window bounds how many exist at once.
 */
export class PieceBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    readonly pieceLength: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.pieceLength);
  }

  give(buffer: Buffer): void {
    if (buffer.length === this.pieceLength && this.free.length < this.keep) this.free.push(buffer);
  }
}
