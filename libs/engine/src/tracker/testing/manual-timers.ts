import type { TimerHandle, Timers } from '../announcer/timers';

interface Scheduled {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * Timers and a clock that move only when a test says so. Work that happens between timers (real sockets)
 * is awaited through `nextTimer()`, which resolves once something is scheduled.
 */
export class ManualTimers implements Timers {
  private now = 0;
  private nextId = 1;
  private scheduled: Scheduled[] = [];
  private waiters: (() => void)[] = [];

  readonly clock = (): number => this.now;

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.nextId++, dueAt: this.now + delayMs, callback };
    this.scheduled.push(timer);
    for (const wake of this.waiters.splice(0)) wake();
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.scheduled = this.scheduled.filter((timer) => timer.id !== handle);
  }

  /** Delays from now of every pending timer, soonest first. */
  pendingDelays(): number[] {
    return this.scheduled.map((timer) => timer.dueAt - this.now).sort((a, b) => a - b);
  }

  /** Resolves with the delay of the soonest pending timer, waiting for one to be scheduled if none is. */
  async nextTimer(timeoutMs = 5000): Promise<number> {
    if (this.scheduled.length === 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no timer scheduled within ${timeoutMs} ms`)), timeoutMs);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.pendingDelays()[0];
  }

  /** Moves the clock forward, firing due timers in order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = this.scheduled.filter((timer) => timer.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
      if (due === undefined) break;
      this.scheduled = this.scheduled.filter((timer) => timer !== due);
      this.now = due.dueAt;
      due.callback();
    }
    this.now = target;
  }

  /** Fires the soonest pending timer (moving the clock to it) and returns the delay it had. */
  async fireNext(): Promise<number> {
    const delay = await this.nextTimer();
    this.advance(delay);
    return delay;
  }
}
