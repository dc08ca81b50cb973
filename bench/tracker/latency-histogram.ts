/** 10 µs buckets up to 5 s (the request timeout); later answers land in the last bucket. */
const BUCKET_MS = 0.01;
const BUCKETS = 500_000;

/** Latencies in fixed buckets: constant memory whatever the request count, mergeable across threads. */
export class LatencyHistogram {
  constructor(readonly counts: Uint32Array = new Uint32Array(BUCKETS)) {}

  record(ms: number): void {
    this.counts[Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)))]++;
  }

  add(other: Uint32Array): void {
    for (let index = 0; index < BUCKETS; index++) this.counts[index] += other[index];
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts) total += count;
    return total;
  }

  /** The latency (ms, upper bucket edge) under which `fraction` of the samples fall; NaN without samples. */
  quantile(fraction: number): number {
    const total = this.total;
    if (total === 0) return NaN;
    const rank = Math.ceil(fraction * total);
    let seen = 0;
    for (let index = 0; index < BUCKETS; index++) {
      seen += this.counts[index];
      if (seen >= rank) return (index + 1) * BUCKET_MS;
    }
    return BUCKETS * BUCKET_MS;
  }
}
