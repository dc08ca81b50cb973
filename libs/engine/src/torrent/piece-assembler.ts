import type { PieceGeometry } from '../peer/peer-options';

/** Default bytes of piece buffers in flight per torrent. */
export const DEFAULT_ASSEMBLY_BUDGET = 32 * 1024 * 1024;

/**
 * One buffer per piece being downloaded, filled block by block, handed over whole when the picker says
 * every block is in. Buffers are made on the first block, not on the first request, and never exceed
 * `maxPieces` of them (the picker's maxPartialPieces, from the byte budget): that is the memory bound
 * that stops requesting when verification or the disk fall behind.
 */
export class PieceAssembler {
  private readonly buffers = new Map<number, Buffer>();

  constructor(private readonly geometry: PieceGeometry) {}

  /** How many pieces fit the budget: at least 2 so one piece can verify while another downloads. */
  static maxPieces(budgetBytes: number, pieceLength: number): number {
    return Math.max(2, Math.floor(budgetBytes / pieceLength));
  }

  /** Copies a block in (the data is a view of a socket chunk). */
  write(index: number, begin: number, data: Buffer): void {
    let buffer = this.buffers.get(index);
    if (!buffer) {
      // allocUnsafeSlow: a buffer that owns its ArrayBuffer, so the hash pool can transfer it to a worker.
      buffer = Buffer.allocUnsafeSlow(this.geometry.pieceSize(index));
      this.buffers.set(index, buffer);
    }
    data.copy(buffer, begin);
  }

  /** Takes the complete piece's buffer out (for verification). */
  take(index: number): Buffer | undefined {
    const buffer = this.buffers.get(index);
    this.buffers.delete(index);
    return buffer;
  }

  /** Forgets a piece no longer being assembled (released back to the queue, or failed). */
  drop(index: number): void {
    this.buffers.delete(index);
  }

  get pieces(): number {
    return this.buffers.size;
  }

  get bytes(): number {
    let total = 0;
    for (const buffer of this.buffers.values()) total += buffer.length;
    return total;
  }

  clear(): void {
    this.buffers.clear();
  }
}
