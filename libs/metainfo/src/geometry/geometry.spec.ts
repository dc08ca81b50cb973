import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { parseTorrent } from '../parse';
import { bytes, encodeTorrent, type FixtureFile, hybridTorrent, v1Torrent, v2Torrent } from '../../test/torrent-fixtures';
import { filePieceRange, lastPieceSize, type PieceLayout, pieceRange, pieceSize, pieceSpans, v2PieceLocation } from './index';

const file = (offset: number, length: number, pad = false) => ({ offset, length, pad });

// pieces of 10 bytes; a(25) b(empty) c(12) d(5): 42 bytes, 5 pieces, the last one 2 bytes
const v1Layout: PieceLayout = { pieceLength: 10, pieceCount: 5, files: [file(0, 25), file(25, 0), file(25, 12), file(37, 5)] };
// pieces of 16; a(20) pad(12) b(5) pad(11) c(16)
const hybridLayout: PieceLayout = {
  pieceLength: 16,
  pieceCount: 4,
  files: [file(0, 20), file(20, 12, true), file(32, 5), file(37, 11, true), file(48, 16)],
};
// the same files in a v2-only torrent: a(20) empty(0) b(5) c(16), each starting a piece
const v2Layout: PieceLayout = { pieceLength: 16, pieceCount: 4, files: [file(0, 20), file(32, 0), file(32, 5), file(48, 16)] };

describe('piece geometry', () => {
  it.each([
    ['v1', v1Layout, 0, { start: 0, end: 10 }, [{ fileIndex: 0, fileOffset: 0, length: 10 }]],
    ['v1', v1Layout, 2, { start: 20, end: 30 }, [{ fileIndex: 0, fileOffset: 20, length: 5 }, { fileIndex: 2, fileOffset: 0, length: 5 }]],
    ['v1', v1Layout, 3, { start: 30, end: 40 }, [{ fileIndex: 2, fileOffset: 5, length: 7 }, { fileIndex: 3, fileOffset: 0, length: 3 }]],
    ['v1 last', v1Layout, 4, { start: 40, end: 42 }, [{ fileIndex: 3, fileOffset: 3, length: 2 }]],
    ['hybrid', hybridLayout, 1, { start: 16, end: 32 }, [{ fileIndex: 0, fileOffset: 16, length: 4 }]],
    ['hybrid', hybridLayout, 2, { start: 32, end: 48 }, [{ fileIndex: 2, fileOffset: 0, length: 5 }]],
    ['hybrid last', hybridLayout, 3, { start: 48, end: 64 }, [{ fileIndex: 4, fileOffset: 0, length: 16 }]],
    ['v2', v2Layout, 1, { start: 16, end: 20 }, [{ fileIndex: 0, fileOffset: 16, length: 4 }]],
    ['v2', v2Layout, 2, { start: 32, end: 37 }, [{ fileIndex: 2, fileOffset: 0, length: 5 }]],
  ])('%s piece %#: range and file spans', (_kind, layout, index, range, spans) => {
    expect(pieceRange(layout, index)).toEqual(range);
    expect(pieceSize(layout, index)).toBe(range.end - range.start);
    expect(pieceSpans(layout, index)).toEqual(spans);
  });

  it.each([
    [v1Layout, 2],
    [hybridLayout, 16],
    [v2Layout, 16],
  ])('last piece size %#', (layout, size) => {
    expect(lastPieceSize(layout)).toBe(size);
  });

  it.each([
    ['v1 shared pieces', v1Layout, [{ first: 0, end: 3 }, { first: 2, end: 2 }, { first: 2, end: 4 }, { first: 3, end: 5 }]],
    ['hybrid', hybridLayout, [{ first: 0, end: 2 }, { first: 1, end: 2 }, { first: 2, end: 3 }, { first: 2, end: 3 }, { first: 3, end: 4 }]],
    ['v2', v2Layout, [{ first: 0, end: 2 }, { first: 2, end: 2 }, { first: 2, end: 3 }, { first: 3, end: 4 }]],
  ])('file piece ranges: %s', (_kind, layout, ranges) => {
    expect(layout.files.map((_, i) => filePieceRange(layout, i))).toEqual(ranges);
  });

  it.each([
    [hybridLayout, 1, { fileIndex: 0, filePiece: 1 }],
    [hybridLayout, 3, { fileIndex: 4, filePiece: 0 }],
    [v2Layout, 2, { fileIndex: 2, filePiece: 0 }],
  ])('v2 piece location %#', (layout, index, location) => {
    expect(v2PieceLocation(layout, index)).toEqual(location);
  });

  it('refuses v2 piece locations in a layout that is not piece-aligned', () => {
    expect(() => v2PieceLocation(v1Layout, 3)).toThrow(/not piece-aligned/);
  });

  it.each([-1, 5, 1.5, Number.NaN])('refuses piece index %p', (index) => {
    expect(() => pieceRange(v1Layout, index)).toThrow(RangeError);
  });

  it('refuses file indexes out of range', () => {
    expect(() => filePieceRange(v1Layout, 4)).toThrow(RangeError);
  });
});

describe('piece geometry of parsed torrents', () => {
  const files: FixtureFile[] = [
    { path: ['a'], data: bytes(40000, 1) },
    { path: ['b'], data: bytes(0) },
    { path: ['c'], data: bytes(1000, 2) },
    { path: ['d'], data: bytes(33000, 3) },
  ];
  const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();

  /** Piece bytes assembled from its spans, pad bytes as zeros: what storage would read. */
  function readPiece(layout: PieceLayout, index: number, contents: Buffer[]): Buffer {
    const piece = Buffer.alloc(pieceSize(layout, index));
    const { start } = pieceRange(layout, index);
    for (const span of pieceSpans(layout, index)) {
      const at = layout.files[span.fileIndex].offset + span.fileOffset - start;
      contents[span.fileIndex].copy(piece, at, span.fileOffset, span.fileOffset + span.length);
    }
    return piece;
  }

  it.each([
    ['v1', () => v1Torrent('t', 16384, files)],
    ['hybrid', () => hybridTorrent('t', 16384, files)],
  ])('%s: every piece read through its spans matches its SHA-1', (_kind, build) => {
    const metainfo = parseTorrent(encodeTorrent(build().torrent));
    const contents = metainfo.files.map((f) => files.find((x) => x.path.join('/') === f.path.join('/'))?.data ?? Buffer.alloc(0));
    for (let index = 0; index < metainfo.pieceCount; index++) {
      const expected = (metainfo.pieces as Buffer).subarray(index * 20, index * 20 + 20);
      expect(sha1(readPiece(metainfo, index, contents)).equals(expected)).toBe(true);
    }
  });

  it('v2: every piece lies in one file at the position its location names', () => {
    const metainfo = parseTorrent(encodeTorrent(v2Torrent('t', 16384, files).torrent));
    const contents = metainfo.files.map((f) => files.find((x) => x.path.join('/') === f.path.join('/'))!.data);
    for (let index = 0; index < metainfo.pieceCount; index++) {
      const { fileIndex, filePiece } = v2PieceLocation(metainfo, index);
      const expected = contents[fileIndex].subarray(filePiece * 16384, (filePiece + 1) * 16384);
      expect(readPiece(metainfo, index, contents).equals(expected)).toBe(true);
    }
  });
});

describe('piece geometry properties', () => {
  const lengths = fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 12 });
  const pieceLength = fc.constantFrom(1, 7, 16, 64);

  function v1Of(fileLengths: number[], pl: number): PieceLayout {
    let offset = 0;
    const files = fileLengths.map((length) => ({ offset: (offset += length) - length, length, pad: false }));
    return { pieceLength: pl, pieceCount: Math.ceil(offset / pl), files };
  }

  function v2Of(fileLengths: number[], pl: number): PieceLayout {
    let offset = 0;
    const files = fileLengths.map((length) => {
      const entry = { offset, length, pad: false };
      offset += Math.ceil(length / pl) * pl;
      return entry;
    });
    return { pieceLength: pl, pieceCount: offset / pl, files };
  }

  it('v1: the spans of all pieces cover every file byte exactly once, in order', () => {
    fc.assert(
      fc.property(lengths, pieceLength, (fileLengths, pl) => {
        const layout = v1Of(fileLengths, pl);
        const covered = fileLengths.map(() => 0);
        for (let index = 0; index < layout.pieceCount; index++) {
          for (const span of pieceSpans(layout, index)) {
            expect(span.fileOffset).toBe(covered[span.fileIndex]);
            covered[span.fileIndex] += span.length;
          }
        }
        expect(covered).toEqual(fileLengths);
      }),
    );
  });

  it('v2: a piece never spans files and piece sizes add up to the file sizes', () => {
    fc.assert(
      fc.property(lengths, pieceLength, (fileLengths, pl) => {
        const layout = v2Of(fileLengths, pl);
        let total = 0;
        for (let index = 0; index < layout.pieceCount; index++) {
          const spans = pieceSpans(layout, index);
          expect(spans).toHaveLength(1);
          expect(spans[0].length).toBe(pieceSize(layout, index));
          total += spans[0].length;
        }
        expect(total).toBe(fileLengths.reduce((a, b) => a + b, 0));
      }),
    );
  });
});
