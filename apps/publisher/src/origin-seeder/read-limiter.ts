/**
 * At most `limit` storage reads at once, first come first served. Shared by every torrent the origin
 * seeder serves, so a swarm of peers asking for many pieces cannot open hundreds of ranged GETs at once.
 */
export class ReadLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`read limit must be a positive integer, got ${limit}`);
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(body: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await body();
    } finally {
      // The slot passes straight to the next waiter, so `running` never drops and rises again in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
