/**
 * Remembers which (info hash, address) pairs were reported lately, so a chatty or hostile sender cannot make
 * us call onPeers for the same peer more than once per window. Bounded: the oldest entries go first.
 */
export class RecentPeers {
  private readonly reportedAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 4096,
  ) {}

  /** True (and remembered) when the pair was not reported within the window. */
  admit(key: string, now: number): boolean {
    const last = this.reportedAt.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.reportedAt.delete(key); // re-insert at the end: Map order is the eviction order
    this.reportedAt.set(key, now);
    while (this.reportedAt.size > this.maxEntries) {
      const oldest = this.reportedAt.keys().next().value as string;
      this.reportedAt.delete(oldest);
    }
    return true;
  }
}
