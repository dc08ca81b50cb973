import type { PieceLayout } from '@seedfleet/metainfo';
import { MemoryPieceStore } from './memory-store';
import type { PieceStore } from './piece-store';
import { ReadCache } from './read-cache';

// Four pieces of 32 KiB, the last one 1 KiB.
const layout: PieceLayout = { pieceLength: 32768, pieceCount: 4, files: [{ offset: 0, length: 3 * 32768 + 1024, pad: false }] };
const content = Buffer.from(Array.from({ length: 3 * 32768 + 1024 }, (_, i) => (i * 7) % 251));
const piece = (index: number): Buffer => content.subarray(index * 32768, Math.min(content.length, (index + 1) * 32768));

/** A real memory store that counts whole-piece reads. */
class CountingStore extends MemoryPieceStore {
  pieceReads: number[] = [];
  override readPiece(index: number): Promise<Buffer> {
    this.pieceReads.push(index);
    return super.readPiece(index);
  }
}

describe('ReadCache', () => {
  let store: CountingStore;
  beforeEach(() => (store = new CountingStore(layout, content)));

  it('serves every block of a piece from one disk read', async () => {
    const cache = new ReadCache(store, { maxBytes: 1 << 20 });
    for (let begin = 0; begin < 32768; begin += 16384) expect((await cache.readBlock(1, begin, 16384)).equals(piece(1).subarray(begin, begin + 16384))).toBe(true);
    expect(store.pieceReads).toEqual([1]);
    expect(cache.stats).toEqual({ bytes: 32768, pieces: 1, hits: 1, misses: 1 });
  });

  it('concurrent requests for a piece share its load', async () => {
    const cache = new ReadCache(store, { maxBytes: 1 << 20 });
    const blocks = await Promise.all([0, 16384, 0].map((begin) => cache.readBlock(2, begin, 16384)));
    expect(blocks[1].equals(piece(2).subarray(16384))).toBe(true);
    expect(store.pieceReads).toEqual([2]);
  });

  it('evicts the least recently used piece to stay within maxBytes', async () => {
    const cache = new ReadCache(store, { maxBytes: 2 * 32768 });
    await cache.readBlock(0, 0, 1);
    await cache.readBlock(1, 0, 1);
    await cache.readBlock(0, 0, 1); // 0 is now the most recent
    await cache.readBlock(2, 0, 1); // evicts 1
    expect(cache.stats.bytes).toBeLessThanOrEqual(2 * 32768);
    await cache.readBlock(0, 0, 1);
    await cache.readBlock(1, 0, 1);
    expect(store.pieceReads).toEqual([0, 1, 2, 1]);
  });

  it('pieces larger than the cache: served, not kept, and from then on read block by block', async () => {
    const cache = new ReadCache(store, { maxBytes: 16384 });
    expect((await cache.readBlock(0, 100, 10)).equals(piece(0).subarray(100, 110))).toBe(true);
    expect((await cache.readBlock(1, 16384, 16384)).equals(piece(1).subarray(16384))).toBe(true);
    expect((await cache.readBlock(3, 0, 1024)).equals(piece(3))).toBe(true);
    expect(store.pieceReads).toEqual([0]); // one whole piece read to learn the size, then blocks only
    expect(cache.stats).toMatchObject({ bytes: 0, pieces: 0 });
  });

  it('invalidate() makes the next read see the piece as it is now', async () => {
    const cache = new ReadCache(store, { maxBytes: 1 << 20 });
    await cache.readBlock(1, 0, 4);
    const rewritten = Buffer.alloc(32768, 9);
    await store.writePiece(1, rewritten);
    cache.invalidate(1);
    expect(await cache.readBlock(1, 0, 4)).toEqual(Buffer.alloc(4, 9));
    expect(cache.stats).toMatchObject({ bytes: 32768, pieces: 1 });
  });

  it('passes store errors through and caches nothing for them', async () => {
    store.drop(2);
    const cache = new ReadCache(store as PieceStore, { maxBytes: 1 << 20 });
    await expect(cache.readBlock(2, 0, 1)).rejects.toMatchObject({ name: 'StorageError', code: 'missing' });
    await expect(cache.readBlock(0, 32760, 16)).rejects.toMatchObject({ code: 'range' });
    await expect(cache.readBlock(9, 0, 1)).rejects.toMatchObject({ code: 'range' });
    expect(cache.stats.pieces).toBe(1); // piece 0, read before its range was refused
  });
});
