/**
 * A source of uniform numbers in [0, 1). Policies take one instead of calling Math.random, so tests and
 * simulations replay exactly.
 */
export type Random = () => number;

/** A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for tie-breaks and lotteries. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, bound). */
export function randomBelow(random: Random, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound));
}
