/**
 * Bytes in flight, bounded: acquire() waits while taking `bytes` would pass the limit. A request larger
 * than the whole budget is let through alone, so one oversized piece cannot wait forever.
 * Waiters are served in order, so a large write is not starved by a stream of small ones.
 */
export class ByteBudget {
  private used = 0;
  private readonly waiters: { bytes: number; grant(): void }[] = [];

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError(`byte budget must be a positive integer, got ${maxBytes}`);
  }

  get inFlight(): number {
    return this.used;
  }

  acquire(bytes: number): Promise<void> {
    if (this.waiters.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiters.push({ bytes, grant }));
  }

  release(bytes: number): void {
    this.used -= bytes;
    while (this.waiters.length > 0 && this.fits(this.waiters[0].bytes)) {
      const next = this.waiters.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.maxBytes;
  }
}
