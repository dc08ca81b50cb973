import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ReleaseRepository } from '../releases/release.repository';
import { BuildQueue } from './build-queue';

const RECONCILE_INTERVAL_MS = 10 * 60 * 1000;
const logger = new Logger('builds');

/**
 * Storage is the source of truth, Redis is not: a release left queued or building whose job vanished (a
 * Redis restart without persistence, a flushed queue) is queued again, at start and every 10 minutes.
 * Enqueueing is a no-op while the job exists, so every replica may run this.
 */
@Injectable()
export class BuildReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly releases: ReleaseRepository,
    private readonly queue: BuildQueue,
  ) {}

  onApplicationBootstrap(): void {
    void this.reconcileLogged();
    this.timer = setInterval(() => void this.reconcileLogged(), RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Ids of the releases whose build was (re)queued. */
  async reconcile(): Promise<string[]> {
    const requeued: string[] = [];
    for (const status of ['queued', 'building'] as const) {
      for (const release of await this.releases.list({ status })) {
        if (await this.queue.enqueue(release.id)) requeued.push(release.id);
      }
    }
    return requeued;
  }

  private async reconcileLogged(): Promise<void> {
    try {
      const requeued = await this.reconcile();
      if (requeued.length > 0) logger.warn(`re-queued builds whose jobs were missing: ${requeued.join(', ')}`);
    } catch (error) {
      logger.error(`build reconciliation failed: ${(error as Error).message}`);
    }
  }
}
