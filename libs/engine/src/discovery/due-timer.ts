import type { TimerHandle, Timers } from '../tracker/announcer/timers';

/** One timer armed for an absolute time on the injected clock; re-arming replaces it. */
export class DueTimer {
  private handle?: TimerHandle;
  private armedFor = Infinity;

  constructor(
    private readonly timers: Timers,
    private readonly clock: () => number,
    private readonly fire: () => void,
  ) {}

  /** Arms for `at` (Infinity disarms). */
  arm(at: number): void {
    if (this.handle !== undefined && at === this.armedFor) return;
    this.cancel();
    if (at === Infinity) return;
    this.armedFor = at;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      this.armedFor = Infinity;
      this.fire();
    }, Math.max(0, at - this.clock()));
  }

  cancel(): void {
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
    this.armedFor = Infinity;
  }
}
