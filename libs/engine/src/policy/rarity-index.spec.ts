import fc from 'fast-check';
import { seededRandom } from './random';
import { RarityIndex } from './rarity-index';

describe('RarityIndex', () => {
  it('scans rarest first', () => {
    const index = new RarityIndex(4);
    const availability = [3, 1, 2, 0];
    availability.forEach((count, piece) => index.insert(piece, count, seededRandom(piece)));
    const order: number[] = [];
    index.scanRarest(seededRandom(1), 0, (piece) => (order.push(piece), false));
    expect(order).toEqual([3, 1, 2, 0]);
  });

  it('stays consistent under any sequence of inserts, removes and availability changes', () => {
    const pieceCount = 12;
    const operation = fc.record({
      kind: fc.constantFrom('insert', 'remove', 'up', 'down'),
      piece: fc.integer({ min: 0, max: pieceCount - 1 }),
    });
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), fc.integer(), (operations, seed) => {
        const random = seededRandom(seed);
        const index = new RarityIndex(pieceCount);
        const availability = new Array<number>(pieceCount).fill(0);
        for (const { kind, piece } of operations) {
          const member = index.has(piece);
          if (kind === 'insert' && !member) index.insert(piece, availability[piece], random);
          if (kind === 'remove' && member) index.remove(piece, availability[piece]);
          if (kind === 'up') {
            if (member) index.increment(piece, availability[piece]);
            availability[piece]++;
          }
          if (kind === 'down' && availability[piece] > 0) {
            if (member) index.decrement(piece, availability[piece]);
            availability[piece]--;
          }
          expect(index.violation((p) => availability[p])).toBeUndefined();
        }
        const scanned: number[] = [];
        index.scanRarest(random, 0, (piece) => (scanned.push(piece), false));
        expect(scanned).toHaveLength(index.size);
        expect(scanned.map((piece) => availability[piece])).toEqual(scanned.map((piece) => availability[piece]).sort((a, b) => a - b));
      }),
    );
  });
});
