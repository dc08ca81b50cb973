import { realTimers, type Timers } from '../tracker/announcer/timers';
import { AnnounceSchedule, type AnnounceScheduleOptions } from './announce-schedule';
import { DueTimer } from './due-timer';
import type { DiscoveryMembership, DiscoveryTarget } from './types';

export interface DueTargetsOptions extends AnnounceScheduleOptions {
  readonly clock: () => number;
  readonly timers?: Timers;
  /** Lower-case hex info hashes due now; runs outside add/announceNow (a microtask or a timer). */
  readonly onDue: (keys: string[]) => void;
}

/**
 * The torrents a discovery service serves, keyed by hex info hash, and when each is due (AnnounceSchedule
 * driven by one DueTimer). Adds and announceNow calls made in one tick are handed over together.
 */
export class DueTargets {
  private readonly targets = new Map<string, DiscoveryTarget>();
  private readonly schedule: AnnounceSchedule;
  private readonly timer: DueTimer;
  private runQueued = false;
  private closed = false;

  constructor(private readonly options: DueTargetsOptions) {
    this.schedule = new AnnounceSchedule(options);
    this.timer = new DueTimer(options.timers ?? realTimers, options.clock, () => this.runDue());
  }

  get(key: string): DiscoveryTarget | undefined {
    return this.targets.get(key);
  }

  add(target: DiscoveryTarget): DiscoveryMembership {
    const key = target.infoHash.toString('hex');
    this.targets.set(key, target);
    this.schedule.add(key, this.options.clock());
    this.queueRun();
    let removed = false;
    return {
      announceNow: () => {
        if (removed || this.closed) return;
        this.schedule.request(key, this.options.clock());
        this.queueRun();
      },
      remove: () => {
        if (removed) return;
        removed = true;
        if (this.targets.get(key) !== target) return; // replaced by a later add of the same hash
        this.targets.delete(key);
        this.schedule.remove(key);
        this.timer.arm(this.schedule.nextDueAt());
      },
    };
  }

  close(): void {
    this.closed = true;
    this.timer.cancel();
    this.targets.clear();
  }

  private queueRun(): void {
    if (this.runQueued) return;
    this.runQueued = true;
    queueMicrotask(() => {
      this.runQueued = false;
      this.runDue();
    });
  }

  private runDue(): void {
    if (this.closed) return;
    const due = this.schedule.takeDue(this.options.clock());
    if (due.length > 0) this.options.onDue(due);
    this.timer.arm(this.schedule.nextDueAt());
  }
}
