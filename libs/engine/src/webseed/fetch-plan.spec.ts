import fc from 'fast-check';
import type { PieceLayout } from '@seedfleet/metainfo';
import { planFetch } from './fetch-plan';
import { PieceCollector } from './piece-collector';
import { nextRun } from './run-planner';

const file = (offset: number, length: number, pad = false) => ({ offset, length, pad });
// pieces of 10: a(25) empty(0) c(12) d(5) -> 42 bytes, 5 pieces
const v1: PieceLayout = { pieceLength: 10, pieceCount: 5, files: [file(0, 25), file(25, 0), file(25, 12), file(37, 5)] };
// pieces of 16: a(20) pad(12) b(5) pad(11) c(16)
const hybrid: PieceLayout = { pieceLength: 16, pieceCount: 4, files: [file(0, 20), file(20, 12, true), file(32, 5), file(37, 11, true), file(48, 16)] };
// v2: a(20) b(5) c(16), each starting a piece
const v2: PieceLayout = { pieceLength: 16, pieceCount: 4, files: [file(0, 20), file(32, 5), file(48, 16)] };

describe('planFetch', () => {
  it.each([
    ['v1, one file', v1, 0, 2, [[0, 0, 20]]],
    ['v1, across an empty file into the next', v1, 1, 4, [[0, 10, 15], [2, 0, 12], [3, 0, 3]]],
    ['v1, the short last piece', v1, 4, 5, [[3, 3, 2]]],
    ['hybrid: pads are not fetched', hybrid, 0, 4, [[0, 0, 20], [2, 0, 5], [4, 0, 16]]],
    ['hybrid: a piece of file bytes then pad', hybrid, 1, 2, [[0, 16, 4]]],
    ['v2: gaps after each file are not fetched', v2, 0, 4, [[0, 0, 20], [1, 0, 5], [2, 0, 16]]],
  ])('%s: pieces [%d, %d) are requests %j', (_name, layout, first, end, segments) => {
    const plan = planFetch(layout, first, end);
    expect(plan.segments.map((segment) => [segment.fileIndex, segment.fileOffset, segment.length])).toEqual(segments);
  });

  it('hybrid: piece sizes include pads, fetched bytes do not', () => {
    const plan = planFetch(hybrid, 0, 4);
    expect(plan.pieces).toEqual([
      { index: 0, size: 16, fetched: 16 },
      { index: 1, size: 16, fetched: 4 },
      { index: 2, size: 16, fetched: 5 },
      { index: 3, size: 16, fetched: 16 },
    ]);
    expect(plan.pieceBytes).toBe(64);
  });

  it.each([
    [-1, 1],
    [0, 0],
    [3, 2],
    [0, 6],
    [0.5, 2],
  ])('refuses the run [%d, %d)', (first, end) => {
    expect(() => planFetch(v1, first, end)).toThrow(RangeError);
  });

  it('property: a collector fed the requested file bytes in any chunking rebuilds every piece of the piece space', () => {
    const layouts = fc
      .record({
        pieceLength: fc.constantFrom(1, 7, 16),
        lengths: fc.array(fc.record({ length: fc.integer({ min: 0, max: 60 }), pad: fc.boolean() }), { minLength: 1, maxLength: 8 }),
      })
      .filter(({ lengths }) => lengths.some((entry) => entry.length > 0 && !entry.pad));
    fc.assert(
      fc.property(layouts, fc.integer({ min: 1, max: 50 }), fc.nat(), fc.nat(), ({ pieceLength, lengths }, chunk, a, b) => {
        let offset = 0;
        const files = lengths.map(({ length, pad }) => ({ offset: (offset += length) - length, length, pad }));
        const pieceCount = Math.ceil(offset / pieceLength);
        if (pieceCount === 0) return;
        const layout: PieceLayout = { pieceLength, pieceCount, files };
        // The piece space: file bytes are their offset mod 251 + 1 (never 0), pads zeros.
        const space = Buffer.alloc(offset);
        for (const f of files) if (!f.pad) for (let i = 0; i < f.length; i++) space[f.offset + i] = ((f.offset + i) % 251) + 1;
        const first = a % pieceCount;
        const end = first + 1 + (b % (pieceCount - first));
        const plan = planFetch(layout, first, end);
        const collector = new PieceCollector(plan);
        const got = new Map<number, Buffer>();
        for (const index of collector.padOnlyPieces()) got.set(index, collector.take(index));
        for (let segment = collector.segment; segment; segment = collector.segment) {
          const at = files[segment.fileIndex].offset + segment.fileOffset + collector.received;
          const piece = space.subarray(at, at + Math.min(chunk, collector.remainingInSegment));
          for (const index of collector.write(Buffer.from(piece))) got.set(index, collector.take(index));
        }
        expect([...got.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: end - first }, (_, i) => first + i));
        for (const [index, data] of got) {
          const start = index * pieceLength;
          expect(data.equals(space.subarray(start, Math.min(start + pieceLength, offset)))).toBe(true);
        }
      }),
    );
  });
});

describe('nextRun', () => {
  // 10 pieces of 100 bytes
  const layout: PieceLayout = { pieceLength: 100, pieceCount: 10, files: [file(0, 1000)] };
  const wantedOf = (pattern: string) => (index: number) => pattern[index] === 'x';

  it.each([
    ['xxxxxxxxxx', 300, 1000, { first: 0, end: 10, bytes: 1000 }],
    ['xxxxxxxxxx', 300, 400, { first: 0, end: 4, bytes: 400 }],
    ['xx.xxxx.xx', 300, 1000, { first: 3, end: 7, bytes: 400 }],
    ['x.xx.x....', 300, 1000, { first: 2, end: 4, bytes: 200 }],
    ['.........x', 300, 1000, { first: 9, end: 10, bytes: 100 }],
    ['xxxxxxxxxx', 300, 50, { first: 0, end: 1, bytes: 100 }],
  ])('%s min %d max %d', (pattern, minRunBytes, maxRunBytes, expected) => {
    expect(nextRun(layout, wantedOf(pattern), { minRunBytes, maxRunBytes })).toEqual(expected);
  });

  it.each([
    ['xxxxxxxxxx', 6, { first: 6, end: 10, bytes: 400 }],
    ['xxxxxxxxxx', 8, { first: 0, end: 4, bytes: 400 }], // from 8 only 200 bytes before the end: wraps
    ['xxxx...xxx', 8, { first: 0, end: 4, bytes: 400 }],
    ['xx......xx', 9, { first: 0, end: 2, bytes: 200 }], // nothing reaches 300: the largest (the first of equals)
    ['xxxxxxxxxx', 99, { first: 0, end: 4, bytes: 400 }], // clamped to the last piece (100 bytes), then wraps
  ])('%s from startAt %d', (pattern, startAt, expected) => {
    expect(nextRun(layout, wantedOf(pattern), { minRunBytes: 300, maxRunBytes: 400, startAt })).toEqual(expected);
  });

  it('nothing wanted: no run', () => {
    expect(nextRun(layout, () => false, { maxRunBytes: 1000 })).toBeUndefined();
  });

  it('counts the short last piece and pad bytes of the piece space', () => {
    const padded: PieceLayout = { pieceLength: 16, pieceCount: 4, files: [file(0, 20), file(20, 12, true), file(32, 5), file(37, 11, true), file(48, 10)] };
    expect(nextRun(padded, () => true, { maxRunBytes: 1 << 20 })).toEqual({ first: 0, end: 4, bytes: 58 });
  });
});
