import { type Random, randomBelow } from './random';

/**
 * Pieces ordered by availability: one array holding bucket 0 (no non-seed peer has it), then bucket 1, and
 * so on, with each bucket's end recorded (libtorrent's m_pieces / m_priority_boundaries). A piece whose
 * availability moves by one swaps with the first or last piece of its bucket and the boundary shifts: O(1),
 * so a peer's bitfield on a 100k-piece torrent costs 100k swaps, not 100k sorts. Inserting and removing cost
 * O(buckets), i.e. O(peers). Within a bucket the order is shuffled by those swaps and by a random swap on
 * insert, and scans start at a random offset: that is the random tie-break between equally rare pieces.
 */
export class RarityIndex {
  private readonly order: Int32Array;
  private readonly position: Int32Array;
  /** bucketEnd[k] is one past the last position of bucket k; bucket k starts at bucketEnd[k - 1] (or 0). */
  private readonly bucketEnd: number[] = [0];
  private count = 0;

  constructor(pieceCount: number) {
    this.order = new Int32Array(pieceCount);
    this.position = new Int32Array(pieceCount).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(piece: number): boolean {
    return this.position[piece] >= 0;
  }

  /** Adds `piece`, which `availability` non-seed peers have, at a random place among its equals. */
  insert(piece: number, availability: number, random: Random): void {
    this.ensureBucket(availability);
    let hole = this.count;
    // Each bucket above the target hands its first piece to the hole at its end, moving the hole down.
    for (let bucket = this.bucketEnd.length - 1; bucket > availability; bucket--) {
      const start = this.bucketStart(bucket);
      if (start !== hole) this.place(this.order[start], hole);
      hole = start;
      this.bucketEnd[bucket]++;
    }
    this.place(piece, hole);
    this.bucketEnd[availability]++;
    this.count++;
    const start = this.bucketStart(availability);
    this.swap(hole, start + randomBelow(random, this.bucketEnd[availability] - start));
  }

  /** Removes `piece`, which must be in the index with this `availability`. */
  remove(piece: number, availability: number): void {
    let hole = this.bucketEnd[availability] - 1;
    this.swap(this.position[piece], hole);
    this.bucketEnd[availability]--;
    // The hole now opens the next bucket: its last piece fills it, moving the hole up to the end.
    for (let bucket = availability + 1; bucket < this.bucketEnd.length; bucket++) {
      const last = this.bucketEnd[bucket] - 1;
      if (last !== hole) this.place(this.order[last], hole);
      hole = last;
      this.bucketEnd[bucket]--;
    }
    this.position[piece] = -1;
    this.count--;
  }

  /** `piece` went from `availability` to `availability + 1` peers. */
  increment(piece: number, availability: number): void {
    this.ensureBucket(availability + 1);
    const last = this.bucketEnd[availability] - 1;
    this.swap(this.position[piece], last);
    this.bucketEnd[availability]--;
  }

  /** `piece` went from `availability` to `availability - 1` peers. */
  decrement(piece: number, availability: number): void {
    const first = this.bucketEnd[availability - 1];
    this.swap(this.position[piece], first);
    this.bucketEnd[availability - 1]++;
  }

  /**
   * Visits pieces rarest first from bucket `fromBucket` on, each bucket from a random offset, until `visit`
   * returns true. `visit` must not change the index.
   */
  scanRarest(random: Random, fromBucket: number, visit: (piece: number) => boolean): void {
    for (let bucket = fromBucket; bucket < this.bucketEnd.length; bucket++) {
      const start = this.bucketStart(bucket);
      if (this.scanCircular(random, start, this.bucketEnd[bucket], visit)) return;
    }
  }

  /** Visits every piece in an order that starts at a random place, until `visit` returns true. */
  scanRandom(random: Random, visit: (piece: number) => boolean): void {
    this.scanCircular(random, 0, this.count, visit);
  }

  /** Describes the first broken invariant, for tests and debug checks; undefined when consistent. */
  violation(availabilityOf: (piece: number) => number): string | undefined {
    if (this.bucketEnd[this.bucketEnd.length - 1] !== this.count) return 'last bucket does not end at size';
    for (let bucket = 0; bucket < this.bucketEnd.length; bucket++) {
      for (let at = this.bucketStart(bucket); at < this.bucketEnd[bucket]; at++) {
        const piece = this.order[at];
        if (this.position[piece] !== at) return `piece ${piece} at ${at} records position ${this.position[piece]}`;
        if (availabilityOf(piece) !== bucket) return `piece ${piece} is in bucket ${bucket}, availability ${availabilityOf(piece)}`;
      }
    }
    return undefined;
  }

  private scanCircular(random: Random, start: number, end: number, visit: (piece: number) => boolean): boolean {
    const length = end - start;
    if (length <= 0) return false;
    const offset = randomBelow(random, length);
    for (let step = 0; step < length; step++) {
      const at = offset + step;
      if (visit(this.order[start + (at < length ? at : at - length)])) return true;
    }
    return false;
  }

  private bucketStart(bucket: number): number {
    return bucket === 0 ? 0 : this.bucketEnd[bucket - 1];
  }

  private ensureBucket(bucket: number): void {
    while (this.bucketEnd.length <= bucket) this.bucketEnd.push(this.count);
  }

  private place(piece: number, at: number): void {
    this.order[at] = piece;
    this.position[piece] = at;
  }

  private swap(a: number, b: number): void {
    const pieceA = this.order[a];
    this.place(this.order[b], a);
    this.place(pieceA, b);
  }
}
