import type { AnnounceResult, TrackerEvent } from '../types';

/**
 * What each tracker has been told: whether it got `started` (so it counts us, and must get `stopped`)
 * and the `tracker id` it wants back. BEP 12 lets the working tracker change; a tracker we fall over to
 * gets its own `started`.
 */
export class TrackerSessions {
  private readonly started = new Set<string>();
  private readonly trackerIds = new Map<string, string>();

  /** The event to send this tracker on a regular announce; `completed` when one is owed. */
  eventFor(url: string, completedOwed: boolean): TrackerEvent | undefined {
    if (completedOwed) return 'completed';
    return this.started.has(url) ? undefined : 'started';
  }

  trackerId(url: string): string | undefined {
    return this.trackerIds.get(url);
  }

  answered(url: string, result: AnnounceResult): void {
    // Any answer to started, completed or a regular announce means the tracker now has us in its swarm.
    this.started.add(url);
    if (result.trackerId !== undefined) this.trackerIds.set(url, result.trackerId);
  }

  /** Trackers that should hear `stopped`. */
  startedTrackers(): string[] {
    return [...this.started];
  }
}
