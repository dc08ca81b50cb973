import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { HashPool } from '@seedfleet/hashing';
import { createTorrent, type CreateSourceFile, parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes } from '@seedfleet/testing';
import { FileStore } from './file-store';
import { expectedPieces } from './testing/torrent-on-disk';

let pool: HashPool;
beforeAll(() => (pool = new HashPool({ size: 1 })));
afterAll(() => pool.close());

const source = (path: string[], length: number): CreateSourceFile => ({
  path,
  length,
  async *open() {
    if (length > 0) yield deterministicBytes(length, path.join('/'));
  },
});

const layouts = fc.record({
  version: fc.constantFrom('v1' as const, 'v2' as const, 'hybrid' as const),
  pieceLength: fc.constantFrom(16384, 32768),
  sizes: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 16_000, max: 70_000 })), { minLength: 1, maxLength: 6 }),
});

describe('FileStore over arbitrary layouts', () => {
  it('pieces written in any order land byte for byte in the right files, and any block reads back', async () => {
    await fc.assert(
      fc.asyncProperty(layouts, fc.integer(), async ({ version, pieceLength, sizes }, seed) => {
        fc.pre(sizes.some((size) => size > 0));
        const files = sizes.map((size, i) => source([`dir${i % 2}`, `file${i}`], size));
        const metainfo = parseTorrent((await createTorrent(files, { name: 'prop', version, pieceLength, pool })).torrent);
        const pieces = expectedPieces(metainfo);
        const dir = await createTempDir('seedfleet-store-property-');
        const store = new FileStore({ metainfo, directory: dir.path, maxOpenFiles: 2 });
        try {
          await store.open();
          const order = pieces.map((_, i) => i).sort((a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13));
          await Promise.all(order.map((index) => store.writePiece(index, Buffer.from(pieces[index]))));
          for (const [index, piece] of pieces.entries()) {
            const begin = Math.abs(seed + index) % piece.length;
            const length = Math.min(piece.length - begin, 1 + (Math.abs(seed) % 20_000));
            expect((await store.readBlock(index, begin, length)).equals(piece.subarray(begin, begin + length))).toBe(true);
          }
          await store.close();
          for (const [i, size] of sizes.entries()) {
            const path = join(dir.path, 'prop', `dir${i % 2}`, `file${i}`);
            expect((await stat(path)).size).toBe(size);
            expect((await readFile(path)).equals(deterministicBytes(size, `dir${i % 2}/file${i}`))).toBe(true);
          }
        } finally {
          await store.close();
          await dir.remove();
        }
      }),
      { numRuns: 30 },
    );
  });
});
