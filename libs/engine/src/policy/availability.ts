import { PolicyError } from './errors';

/**
 * How many connected peers have each piece. Peers that have everything (seeds, have-all) are one shared
 * counter instead of a +1 on every piece: they raise every piece equally, so they never change which piece
 * is rarest, and a seed joining or leaving costs O(1) instead of O(pieces) (libtorrent's m_seeds).
 */
export class Availability {
  private readonly counts: Uint32Array;
  private seedCount = 0;

  constructor(readonly pieceCount: number) {
    this.counts = new Uint32Array(pieceCount);
  }

  /** Peers that have `piece`, seeds included. */
  of(piece: number): number {
    return this.counts[piece] + this.seedCount;
  }

  /** Peers that have `piece`, seeds excluded: the key the rarity index sorts by. */
  partial(piece: number): number {
    return this.counts[piece];
  }

  get seeds(): number {
    return this.seedCount;
  }

  /** Returns the count before the increment. */
  increment(piece: number): number {
    return this.counts[piece]++;
  }

  /** Returns the count before the decrement. */
  decrement(piece: number): number {
    const before = this.counts[piece];
    if (before === 0) throw new PolicyError('invariant', `availability of piece ${piece} would go below zero`);
    this.counts[piece] = before - 1;
    return before;
  }

  addSeed(): void {
    this.seedCount++;
  }

  removeSeed(): void {
    if (this.seedCount === 0) throw new PolicyError('invariant', 'seed count would go below zero');
    this.seedCount--;
  }
}
