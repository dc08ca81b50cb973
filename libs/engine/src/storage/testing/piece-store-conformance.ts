import type { PieceStore } from '../piece-store';

export interface ConformanceSubject {
  /** A fresh, empty store for a torrent whose pieces are `pieces` (not yet opened). */
  readonly store: PieceStore;
  readonly pieces: readonly Buffer[];
  /** A store over the same place (the same files, the same memory): what a restart would open. */
  reopen(): PieceStore;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every PieceStore shares (STYLE.md point 5): each adapter's spec calls this with a factory.
 * Stores differ only where the interface leaves room (a file store reads zeros from a sparse region
 * never written, memory says 'missing'), which the adapters' own specs cover.
 */
export function describePieceStore(name: string, makeSubject: () => Promise<ConformanceSubject>): void {
  describe(`PieceStore conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    let store: PieceStore;
    let pieces: readonly Buffer[];
    beforeEach(async () => {
      subject = await makeSubject();
      ({ store, pieces } = subject);
      await store.open();
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    const writeAll = async (target: PieceStore): Promise<void> => {
      for (const [index, piece] of pieces.entries()) await target.writePiece(index, Buffer.from(piece));
    };

    it('reads back every piece written, whole and in 16 KiB blocks', async () => {
      await writeAll(store);
      for (const [index, piece] of pieces.entries()) {
        expect((await store.readPiece(index)).equals(piece)).toBe(true);
        const blocks: Buffer[] = [];
        for (let begin = 0; begin < piece.length; begin += 16384) blocks.push(await store.readBlock(index, begin, Math.min(16384, piece.length - begin)));
        expect(Buffer.concat(blocks).equals(piece)).toBe(true);
      }
    });

    it('reads blocks at odd offsets and of odd lengths, including zero bytes', async () => {
      await writeAll(store);
      const last = pieces.length - 1;
      const piece = pieces[last];
      expect((await store.readBlock(last, 1, piece.length - 2)).equals(piece.subarray(1, piece.length - 1))).toBe(true);
      expect((await store.readBlock(last, piece.length - 1, 1)).equals(piece.subarray(piece.length - 1))).toBe(true);
      expect(await store.readBlock(0, 5, 0)).toHaveLength(0);
    });

    it('takes writes of all pieces at once, in any order', async () => {
      const order = pieces.map((_, index) => index).reverse();
      await Promise.all(order.map((index) => store.writePiece(index, Buffer.from(pieces[index]))));
      await store.flush();
      const back = await Promise.all(pieces.map((_, index) => store.readPiece(index)));
      back.forEach((piece, index) => expect(piece.equals(pieces[index])).toBe(true));
    });

    it('keeps the written bytes, not a reference to the caller buffer', async () => {
      const data = Buffer.from(pieces[0]);
      await store.writePiece(0, data);
      data.fill(0xaa);
      expect((await store.readPiece(0)).equals(pieces[0])).toBe(true);
    });

    it('rewriting a piece replaces it', async () => {
      await writeAll(store);
      const other = Buffer.alloc(pieces[1].length, 7);
      await store.writePiece(1, other);
      expect((await store.readPiece(1)).equals(other)).toBe(true);
      expect((await store.readPiece(0)).equals(pieces[0])).toBe(true);
      expect((await store.readPiece(2)).equals(pieces[2])).toBe(true);
    });

    it.each([
      ['a piece index past the end', (s: PieceStore, p: readonly Buffer[]) => s.readBlock(p.length, 0, 1)],
      ['a negative piece index', (s: PieceStore) => s.readPiece(-1)],
      ['a fractional piece index', (s: PieceStore) => s.readBlock(0.5, 0, 1)],
      ['a block past the piece end', (s: PieceStore, p: readonly Buffer[]) => s.readBlock(0, p[0].length - 1, 2)],
      ['a negative offset', (s: PieceStore) => s.readBlock(0, -1, 1)],
      ['a piece of the wrong size', (s: PieceStore, p: readonly Buffer[]) => s.writePiece(0, Buffer.alloc(p[0].length - 1))],
      ['writing past the last piece', (s: PieceStore, p: readonly Buffer[]) => s.writePiece(p.length, Buffer.alloc(1))],
    ])('refuses %s with a range error', async (_case, call) => {
      await expect(call(store, pieces)).rejects.toMatchObject({ name: 'StorageError', code: 'range' });
    });

    it('refuses every operation once closed, and works again after open()', async () => {
      await writeAll(store);
      await store.close();
      await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'closed' });
      await expect(store.readBlock(0, 0, 1)).rejects.toMatchObject({ code: 'closed' });
      await expect(store.writePiece(0, Buffer.from(pieces[0]))).rejects.toMatchObject({ code: 'closed' });
      await store.open();
      expect((await store.readPiece(0)).equals(pieces[0])).toBe(true);
    });

    it('open() twice is harmless', async () => {
      await store.writePiece(0, Buffer.from(pieces[0]));
      await store.open();
      expect((await store.readPiece(0)).equals(pieces[0])).toBe(true);
    });

    it('a store opened again over the same place still holds what was flushed', async () => {
      await writeAll(store);
      await store.flush();
      await store.close();
      const again = subject.reopen();
      await again.open();
      try {
        for (const [index, piece] of pieces.entries()) expect((await again.readPiece(index)).equals(piece)).toBe(true);
      } finally {
        await again.close();
      }
    });
  });
}
