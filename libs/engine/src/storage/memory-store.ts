import { type PieceLayout, pieceRange, pieceSize } from '@seedfleet/metainfo';
import { type PieceStore, StorageError } from './piece-store';

/**
 * A PieceStore in memory: for tests, the in-process swarm harness and small metadata-only torrents.
 * Holds only the pieces written (or given at construction), so a seeder of a large torrent costs its size.
 */
export class MemoryPieceStore implements PieceStore {
  private readonly pieces = new Map<number, Buffer>();
  private closed = false;

  constructor(
    private readonly layout: PieceLayout,
    /** Full content in the torrent's linear piece space (pads as zeros), to start as a seeder. */
    content?: Buffer,
  ) {
    if (content) {
      for (let index = 0; index < layout.pieceCount; index++) {
        const { start, end } = pieceRange(layout, index);
        this.pieces.set(index, Buffer.from(content.subarray(start, end)));
      }
    }
  }

  async open(): Promise<void> {
    this.closed = false;
  }

  async writePiece(index: number, data: Buffer): Promise<void> {
    this.check(index, 0, data.length);
    if (data.length !== pieceSize(this.layout, index)) {
      throw new StorageError('range', `piece ${index} is ${pieceSize(this.layout, index)} bytes, got ${data.length}`);
    }
    this.pieces.set(index, Buffer.from(data));
  }

  async readBlock(index: number, begin: number, length: number): Promise<Buffer> {
    this.check(index, begin, length);
    const piece = this.pieces.get(index);
    if (!piece) throw new StorageError('missing', `piece ${index} is not stored`);
    return piece.subarray(begin, begin + length);
  }

  /**
   * A copy, unlike readBlock: whole pieces go to the hash pool, which takes ownership of (transfers) the
   * buffer it hashes, and a view would detach the store's own memory.
   */
  async readPiece(index: number): Promise<Buffer> {
    this.check(index, 0, 0);
    return Buffer.from(await this.readBlock(index, 0, pieceSize(this.layout, index)));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Test hook: flips a byte of a stored piece, as a corrupted disk would. */
  corrupt(index: number): void {
    const piece = this.pieces.get(index);
    if (piece) piece[0] ^= 0xff;
  }

  /** Test hook: forgets a piece, as a truncated file would. */
  drop(index: number): void {
    this.pieces.delete(index);
  }

  private check(index: number, begin: number, length: number): void {
    if (this.closed) throw new StorageError('closed', 'store is closed');
    if (!Number.isInteger(index) || index < 0 || index >= this.layout.pieceCount) {
      throw new StorageError('range', `piece ${index} is outside [0, ${this.layout.pieceCount})`);
    }
    if (begin < 0 || length < 0 || begin + length > pieceSize(this.layout, index)) {
      throw new StorageError('range', `bytes [${begin}, ${begin + length}) are outside piece ${index}`);
    }
  }
}
