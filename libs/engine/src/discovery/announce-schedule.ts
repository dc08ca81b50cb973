/** When each info hash is next due for an announce, with a floor between two announces of one hash. */
export interface AnnounceScheduleOptions {
  /** Regular re-announce period. */
  readonly intervalMs: number;
  /** No hash is announced twice within this; requests inside the window are deferred, not dropped. */
  readonly minIntervalMs: number;
}

interface Entry {
  lastSentAt: number;
  dueAt: number;
}

/**
 * Pure bookkeeping (no timers): the services ask `takeDue(now)` what to announce and `nextDueAt()` when
 * to wake up. Keys are lower-case hex info hashes.
 */
export class AnnounceSchedule {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: AnnounceScheduleOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** A new hash is due at once. Re-adding a known hash is a request. */
  add(key: string, now: number): void {
    if (this.entries.has(key)) return this.request(key, now);
    this.entries.set(key, { lastSentAt: -Infinity, dueAt: now });
  }

  /** Due as soon as the floor allows; never later than it already was. */
  request(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    entry.dueAt = Math.min(entry.dueAt, Math.max(now, entry.lastSentAt + this.options.minIntervalMs));
  }

  remove(key: string): void {
    this.entries.delete(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Hashes due at `now`, marked as sent: next due after the regular interval. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (const [key, entry] of this.entries) {
      if (entry.dueAt > now) continue;
      entry.lastSentAt = now;
      entry.dueAt = now + this.options.intervalMs;
      due.push(key);
    }
    return due;
  }

  /** The earliest due time, Infinity when empty. */
  nextDueAt(): number {
    let earliest = Infinity;
    for (const entry of this.entries.values()) earliest = Math.min(earliest, entry.dueAt);
    return earliest;
  }
}
