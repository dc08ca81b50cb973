import { seededRandom } from '../../policy/random';
import { TierList } from './tier-list';

describe('TierList', () => {
  it('shuffles within each tier, never across tiers', () => {
    const tiers = [['a1', 'a2', 'a3', 'a4'], ['b1', 'b2']];
    const orders = new Set<string>();
    for (let seed = 0; seed < 50; seed++) {
      const list = new TierList(tiers, seededRandom(seed));
      const [first, second] = list.snapshot();
      expect([...first].sort()).toEqual(tiers[0]);
      expect([...second].sort()).toEqual(tiers[1]);
      orders.add(first.join());
    }
    // 24 possible orders of the first tier; 50 seeds must show several.
    expect(orders.size).toBeGreaterThan(5);
  });

  it('is reproducible for one seed', () => {
    const tiers = [['a', 'b', 'c', 'd', 'e']];
    expect(new TierList(tiers, seededRandom(7)).order()).toEqual(new TierList(tiers, seededRandom(7)).order());
  });

  it('drops duplicates and empty tiers', () => {
    const list = new TierList([['a', 'b', 'a'], [], ['b', 'c', '']], () => 0.999);
    expect(list.snapshot()).toEqual([['a', 'b'], ['c']]);
    expect(list.size).toBe(3);
  });

  it('moves a tracker that answered to the front of its own tier', () => {
    const list = new TierList([['a', 'b', 'c'], ['d', 'e']], () => 0.999);
    list.promote('c');
    list.promote('e');
    expect(list.snapshot()).toEqual([['c', 'a', 'b'], ['e', 'd']]);
    list.promote('c');
    expect(list.order()).toEqual(['c', 'a', 'b', 'e', 'd']);
  });
});
