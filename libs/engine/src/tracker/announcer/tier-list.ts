import { type Random, randomBelow } from '../../policy/random';

/**
 * BEP 12 tracker tiers: each tier shuffled once, tried in order, a tracker that answers moved to the front
 * of its tier. Duplicate and empty entries are dropped (the same URL twice would only be asked twice).
 */
export class TierList {
  private readonly tiers: string[][];

  constructor(tiers: readonly (readonly string[])[], random: Random) {
    const seen = new Set<string>();
    this.tiers = tiers
      .map((tier) => shuffled(tier.filter((url) => url !== '' && !seen.has(url) && seen.add(url)), random))
      .filter((tier) => tier.length > 0);
  }

  /** Every tracker in the order to try them now (a snapshot: promotions take effect on the next round). */
  order(): string[] {
    return this.tiers.flat();
  }

  get size(): number {
    return this.order().length;
  }

  /** The tracker answered: it goes first in its tier from now on. */
  promote(url: string): void {
    for (const tier of this.tiers) {
      const index = tier.indexOf(url);
      if (index > 0) tier.unshift(...tier.splice(index, 1));
    }
  }

  /** Copies, for tests and status output. */
  snapshot(): string[][] {
    return this.tiers.map((tier) => [...tier]);
  }
}

/** Fisher-Yates. */
function shuffled(items: string[], random: Random): string[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index--) {
    const other = randomBelow(random, index + 1);
    [out[index], out[other]] = [out[other], out[index]];
  }
  return out;
}
