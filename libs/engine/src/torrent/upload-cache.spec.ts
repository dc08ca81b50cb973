import { pieceRange } from '@seedfleet/metainfo';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent } from '../testing';
import { UploadCache } from './upload-cache';

/** A MemoryPieceStore that reads into the caller's buffer, counting whole-piece reads. */
class CountingStore extends MemoryPieceStore {
  pieceReads = 0;
  async readPieceInto(index: number, target: Buffer): Promise<Buffer> {
    this.pieceReads++;
    const piece = await this.readPiece(index);
    piece.copy(target);
    return target.subarray(0, piece.length);
  }
}

async function setup(slots: number): Promise<{ cache: UploadCache; store: CountingStore; block: (index: number, begin: number) => Buffer }> {
  const torrent = await makeTestTorrent({ size: 4 * 64 * 1024 + 1000, pieceLength: 64 * 1024, seed: 'upload-cache' });
  const store = new CountingStore(torrent.metainfo, torrent.content);
  const block = (index: number, begin: number): Buffer => {
    const { start, end } = pieceRange(torrent.metainfo, index);
    return torrent.content.subarray(start, end).subarray(begin, begin + 16384);
  };
  return { cache: new UploadCache(store, torrent.metainfo.pieceLength, slots), store, block };
}

it('reads a piece once for all its blocks and reuses its slot for the next piece once nothing is lent', async () => {
  const { cache, store, block } = await setup(1);
  const lent = await Promise.all([0, 16384, 32768, 49152].map((begin) => cache.readBlock(0, begin, 16384)));
  expect(lent.map((one) => one.data.equals(block(0, lent.indexOf(one) * 16384)))).toEqual([true, true, true, true]);
  expect(store.pieceReads).toBe(1);
  for (const one of lent) one.release();
  const next = await cache.readBlock(1, 0, 16384);
  expect(next.data.equals(block(1, 0))).toBe(true);
  expect(store.pieceReads).toBe(2);
  expect(cache.stats).toEqual({ slots: 1, lent: 1 });
  // The same buffer holds piece 1 now: piece 0's memory was reused, not reallocated.
  expect(next.data.buffer).toBe(lent[0].data.buffer);
});

it('never overwrites a lent block: with every slot lent, a block is read on its own', async () => {
  const { cache, store, block } = await setup(1);
  const held = await cache.readBlock(0, 0, 16384);
  const other = await cache.readBlock(2, 16384, 16384);
  expect(other.data.equals(block(2, 16384))).toBe(true);
  expect(held.data.equals(block(0, 0))).toBe(true);
  expect(store.pieceReads).toBe(1);
  other.release();
  held.release();
  held.release(); // twice is harmless
  expect(cache.stats.lent).toBe(0);
});

it('grows up to its slot count only while slots are lent, and reads the short last piece', async () => {
  const { cache, block } = await setup(2);
  const a = await cache.readBlock(0, 0, 16384);
  const b = await cache.readBlock(4, 0, 1000);
  expect(b.data.length).toBe(1000);
  expect(b.data.equals(block(4, 0).subarray(0, 1000))).toBe(true);
  expect(cache.stats).toEqual({ slots: 2, lent: 2 });
  a.release();
  b.release();
  await expect(cache.readBlock(4, 512, 16384)).rejects.toThrow();
  expect(cache.stats.lent).toBe(0);
});
