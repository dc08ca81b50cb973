import type { PieceStore } from './piece-store';

export interface ReadCacheOptions {
  /** Bytes of whole pieces kept. Once a piece turns out larger than this, blocks are read from the store directly. */
  readonly maxBytes: number;
}

/**
 * Whole pieces recently read for seeding, least recently used evicted first, bounded in bytes. Peers
 * usually ask for a piece's blocks one after another, so one disk read serves them all; concurrent
 * requests for a piece being loaded share that load. Pieces being loaded are not counted in maxBytes:
 * the caller bounds how many reads it has in flight (the uploader's request queue).
 * Blocks returned are views of the cached piece: callers must not modify them.
 */
export class ReadCache {
  // Map order is recency order: the first entry is the least recently used.
  private readonly pieces = new Map<number, Buffer>();
  private readonly loading = new Map<number, Promise<Buffer>>();
  private bytes = 0;
  private hitCount = 0;
  private missCount = 0;
  /** Pieces are larger than the whole cache: caching them would mean reading a whole piece per block. */
  private bypass: boolean;

  constructor(
    private readonly store: PieceStore,
    private readonly options: ReadCacheOptions,
  ) {
    if (!Number.isSafeInteger(options.maxBytes) || options.maxBytes < 0) throw new RangeError(`read cache maxBytes must be a non-negative integer, got ${options.maxBytes}`);
    this.bypass = options.maxBytes === 0;
  }

  get stats(): { readonly bytes: number; readonly pieces: number; readonly hits: number; readonly misses: number } {
    return { bytes: this.bytes, pieces: this.pieces.size, hits: this.hitCount, misses: this.missCount };
  }

  async readBlock(index: number, begin: number, length: number): Promise<Buffer> {
    let piece = this.pieces.get(index);
    if (piece !== undefined) {
      this.hitCount++;
      this.pieces.delete(index);
      this.pieces.set(index, piece);
    } else {
      this.missCount++;
      if (this.bypass) return this.store.readBlock(index, begin, length);
      piece = await this.load(index);
    }
    const inside = Number.isInteger(begin) && Number.isInteger(length) && begin >= 0 && length >= 0 && begin + length <= piece.length;
    // The store words the range error for a request outside the piece.
    return inside ? piece.subarray(begin, begin + length) : this.store.readBlock(index, begin, length);
  }

  /** Forgets a piece (its bytes on disk changed, e.g. a failed recheck); a load in flight is not cached. */
  invalidate(index: number): void {
    this.loading.delete(index);
    const cached = this.pieces.get(index);
    if (cached === undefined) return;
    this.pieces.delete(index);
    this.bytes -= cached.length;
  }

  clear(): void {
    this.loading.clear();
    this.pieces.clear();
    this.bytes = 0;
  }

  /** Reads the whole piece once for all concurrent readers and caches it if it fits. */
  private load(index: number): Promise<Buffer> {
    const pending = this.loading.get(index);
    if (pending !== undefined) return pending;
    const loading = this.store.readPiece(index).then(
      (piece) => {
        if (this.loading.get(index) === loading) {
          this.loading.delete(index);
          if (piece.length <= this.options.maxBytes) this.insert(index, piece);
          else this.bypass = true;
        }
        return piece;
      },
      (error: unknown) => {
        if (this.loading.get(index) === loading) this.loading.delete(index);
        throw error;
      },
    );
    this.loading.set(index, loading);
    return loading;
  }

  private insert(index: number, piece: Buffer): void {
    this.bytes -= this.pieces.get(index)?.length ?? 0;
    this.pieces.set(index, piece);
    this.bytes += piece.length;
    for (const [oldest, bytes] of this.pieces) {
      if (this.bytes <= this.options.maxBytes) break;
      this.pieces.delete(oldest);
      this.bytes -= bytes.length;
    }
  }
}
