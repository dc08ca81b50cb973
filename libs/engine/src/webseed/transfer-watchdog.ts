import type { TimerHandle, Timers } from '../tracker/announcer/timers';

export interface WatchdogLimits {
  readonly clock: () => number;
  readonly timers: Timers;
  /** No activity for this long trips 'stalled'. */
  readonly stallTimeoutMs: number;
  /** Fewer bytes than this rate over a full `rateWindowMs` trips 'too-slow'; 0 disables. */
  readonly minBytesPerSecond: number;
  readonly rateWindowMs: number;
}

export type WatchdogTrip = 'stalled' | 'too-slow';

/**
 * Watches one HTTP exchange for the two ways a server can hold a request slot hostage without failing:
 * sending nothing (a stall) and sending a trickle (a slow drip, which a stall timer alone never catches).
 * Checks on a timer a quarter of the shorter limit, so a trip comes at most 25 % late.
 */
export class TransferWatchdog {
  private lastActivity = 0;
  private total = 0;
  /** (time, bytes so far) at each check, the oldest at most one window old plus one. */
  private samples: { at: number; total: number }[] = [];
  private timer: TimerHandle | undefined;
  private dueAt = 0;
  private stopped = false;

  constructor(
    private readonly limits: WatchdogLimits,
    private readonly onTrip: (trip: WatchdogTrip, message: string) => void,
  ) {}

  start(): void {
    const now = this.limits.clock();
    this.lastActivity = now;
    this.samples = [{ at: now, total: 0 }];
    this.schedule();
  }

  /** Headers or body bytes arrived (`bytes` counts body bytes only). */
  activity(bytes: number): void {
    this.lastActivity = this.limits.clock();
    this.total += bytes;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.limits.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs = this.checkEveryMs()): void {
    this.dueAt = this.limits.clock() + delayMs;
    this.timer = this.limits.timers.setTimeout(() => this.check(), delayMs);
  }

  private checkEveryMs(): number {
    const { stallTimeoutMs, rateWindowMs, minBytesPerSecond } = this.limits;
    const shortest = minBytesPerSecond > 0 ? Math.min(stallTimeoutMs, rateWindowMs) : stallTimeoutMs;
    return Math.max(1, Math.floor(shortest / 4));
  }

  private check(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = this.limits.clock();
    // Timers run before pending socket reads: a check that comes a whole interval late (a blocked event
    // loop) would blame the server for our own lag. Decide only after the reads waiting meanwhile.
    if (now - this.dueAt > this.checkEveryMs()) {
      this.schedule(0);
      return;
    }
    const { stallTimeoutMs, rateWindowMs, minBytesPerSecond } = this.limits;
    if (now - this.lastActivity >= stallTimeoutMs) {
      this.trip('stalled', `nothing received for ${Math.round(now - this.lastActivity)} ms`);
      return;
    }
    this.samples.push({ at: now, total: this.total });
    // Keep the newest sample at least a window old: the base the rate is measured from.
    while (this.samples.length > 1 && this.samples[1].at <= now - rateWindowMs) this.samples.shift();
    const base = this.samples[0];
    // Nothing at all in the window is left to the stall check: 'stalled' and 'too-slow' say different things.
    if (minBytesPerSecond > 0 && now - base.at >= rateWindowMs && this.total > base.total) {
      const rate = ((this.total - base.total) * 1000) / (now - base.at);
      if (rate < minBytesPerSecond) {
        this.trip('too-slow', `${Math.round(rate)} B/s over the last ${Math.round(now - base.at)} ms, below the ${minBytesPerSecond} B/s minimum`);
        return;
      }
    }
    this.schedule();
  }

  private trip(trip: WatchdogTrip, message: string): void {
    this.stop();
    this.onTrip(trip, message);
  }
}
