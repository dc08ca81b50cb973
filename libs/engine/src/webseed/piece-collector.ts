import type { FetchPlan, Segment } from './fetch-plan';

/**
 * The piece buffers of one run, filled from the bodies of its segment requests in order. Knows where the
 * next body byte belongs (segment, offset), so a retry after a reset asks only for the bytes still
 * missing. Pieces come out whole; pad bytes are zeros because pieces with pads start zero-filled.
 */
export class PieceCollector {
  private readonly buffers = new Map<number, Buffer>();
  /** File bytes each unfinished piece still waits for. */
  private readonly missing = new Map<number, number>();
  private readonly sizes = new Map<number, { size: number; padded: boolean }>();
  private segmentIndex = 0;
  private segmentOffset = 0;
  private partIndex = 0;
  private partOffset = 0;

  constructor(private readonly plan: FetchPlan) {
    for (const piece of plan.pieces) {
      this.sizes.set(piece.index, { size: piece.size, padded: piece.fetched < piece.size });
      if (piece.fetched > 0) this.missing.set(piece.index, piece.fetched);
    }
  }

  /** Pieces that need no fetching at all (only pad bytes); they complete at once. */
  padOnlyPieces(): number[] {
    return this.plan.pieces.filter((piece) => piece.fetched === 0).map((piece) => piece.index);
  }

  /** The segment the next body byte belongs to, or undefined once every segment is done. */
  get segment(): Segment | undefined {
    return this.plan.segments[this.segmentIndex];
  }

  /** Bytes of the current segment already received. */
  get received(): number {
    return this.segmentOffset;
  }

  /** Bytes of the current segment still to come. */
  get remainingInSegment(): number {
    const segment = this.segment;
    return segment ? segment.length - this.segmentOffset : 0;
  }

  /**
   * Copies body bytes of the current segment in (at most `remainingInSegment`; the caller checks) and
   * returns the pieces they completed. Moves to the next segment when this one is full.
   */
  write(chunk: Buffer): number[] {
    const segment = this.segment;
    if (!segment || chunk.length > segment.length - this.segmentOffset) {
      throw new RangeError(`${chunk.length} bytes do not fit the ${this.remainingInSegment} left in the segment`);
    }
    const completed: number[] = [];
    let at = 0;
    while (at < chunk.length) {
      const part = segment.parts[this.partIndex];
      const take = Math.min(part.length - this.partOffset, chunk.length - at);
      chunk.copy(this.bufferOf(part.piece), part.pieceOffset + this.partOffset, at, at + take);
      at += take;
      this.partOffset += take;
      this.segmentOffset += take;
      const missing = this.missing.get(part.piece)! - take;
      this.missing.set(part.piece, missing);
      if (missing === 0) completed.push(part.piece);
      if (this.partOffset === part.length) {
        this.partIndex++;
        this.partOffset = 0;
      }
    }
    if (this.segmentOffset === segment.length) {
      this.segmentIndex++;
      this.segmentOffset = 0;
      this.partIndex = 0;
    }
    return completed;
  }

  /** Hands a complete piece's buffer over; the collector forgets it. */
  take(index: number): Buffer {
    const buffer = this.bufferOf(index);
    this.buffers.delete(index);
    this.missing.delete(index);
    return buffer;
  }

  /** Drops every buffer (the run failed or was aborted). */
  clear(): void {
    this.buffers.clear();
  }

  private bufferOf(index: number): Buffer {
    let buffer = this.buffers.get(index);
    if (!buffer) {
      const { size, padded } = this.sizes.get(index)!;
      // allocUnsafeSlow: a buffer owning its ArrayBuffer, so the hash pool can transfer it to a worker.
      buffer = padded ? Buffer.alloc(size) : Buffer.allocUnsafeSlow(size);
      this.buffers.set(index, buffer);
    }
    return buffer;
  }
}
