import type { PieceLayout } from '@seedfleet/metainfo';
import { OriginShare } from './origin-share';

const layout: PieceLayout = { pieceLength: 256 * 1024, pieceCount: 1000, files: [{ path: ['f'], length: 1000 * 256 * 1024, offset: 0, pad: false } as never] };
const ids = Array.from({ length: 8 }, (_, index) => `2d5346303030312d${index.toString(16).padStart(24, '0')}`);

describe('OriginShare', () => {
  it('alone, every piece is ours', () => {
    const share = new OriginShare(layout, ids[0]);
    for (let piece = 0; piece < layout.pieceCount; piece++) expect(share.isMine(piece, [])).toBe(true);
  });

  it('8 members seeing the same group own disjoint units covering every piece, about evenly, in whole units', () => {
    const shares = ids.map((id) => new OriginShare(layout, id));
    const owners = new Array<number>(layout.pieceCount).fill(0);
    const counts = shares.map((share, member) => {
      const others = ids.filter((_, index) => index !== member);
      let count = 0;
      for (let piece = 0; piece < layout.pieceCount; piece++) {
        if (!share.isMine(piece, others)) continue;
        owners[piece]++;
        count++;
        // Units of 4 pieces (1 MiB) stay together.
        expect(share.isMine(piece - (piece % 4), others)).toBe(true);
      }
      return count;
    });
    expect(owners.every((count) => count === 1)).toBe(true);
    for (const count of counts) expect(count).toBeGreaterThan(layout.pieceCount / 8 / 3);
  });

  it('a member leaving hands its units to the others; the rest keep theirs', () => {
    const share = new OriginShare(layout, ids[0]);
    const before = Array.from({ length: layout.pieceCount }, (_, piece) => share.isMine(piece, ids.slice(1)));
    const after = Array.from({ length: layout.pieceCount }, (_, piece) => share.isMine(piece, ids.slice(2)));
    expect(before.every((mine, piece) => !mine || after[piece])).toBe(true);
    expect(after.filter(Boolean).length).toBeGreaterThan(before.filter(Boolean).length);
  });
});
