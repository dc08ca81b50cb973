import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { PUBLISHER_CONFIG, REDIS_URL } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';

export const BUILDS_QUEUE = 'builds';

export interface BuildJobData {
  readonly releaseId: string;
}

/** Retries for crashes and storage hiccups; bad input fails at once (UnrecoverableError in the worker). */
export const BUILD_JOB_ATTEMPTS = 5;
const BUILD_BACKOFF = { type: 'exponential', delay: 2_000 } as const;
/** How long a job may stay `active` after its run wrote its final status (BullMQ moving it to completed). */
const FINALISE_WAIT_MS = 10_000;

/** BullMQ's key prefix under the publisher's REDIS_KEY_PREFIX (`seedfleet:bull:builds:...`). */
export const bullPrefix = (config: PublisherConfig): string => `${config.redisKeyPrefix}bull`;

/** The `builds` queue. The job id is the release id, so a release is queued (and built) once. */
@Injectable()
export class BuildQueue implements OnApplicationShutdown {
  private readonly connection: Redis;
  readonly queue: Queue<BuildJobData>;

  constructor(@Inject(REDIS_URL) redisUrl: string, @Inject(PUBLISHER_CONFIG) config: PublisherConfig) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue<BuildJobData>(BUILDS_QUEUE, { connection: this.connection, prefix: bullPrefix(config) });
  }

  /**
   * Queues the release's build; a no-op while a job for it is waiting or running. A finished or failed job
   * is replaced, so a release that failed (or whose build result was lost) can be built again.
   */
  /**
   * True when a job was added, false when one was already waiting or running. `previousRunEnded`: the
   * release record already says the last run ended (ready or failed), so a job still `active` is only
   * being finalised by BullMQ; wait for that instead of mistaking it for a running build.
   */
  async enqueue(releaseId: string, options: { previousRunEnded?: boolean } = {}): Promise<boolean> {
    const existing = await this.queue.getJob(releaseId);
    if (existing) {
      let state = await existing.getState();
      for (const deadline = Date.now() + FINALISE_WAIT_MS; options.previousRunEnded && state === 'active' && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await existing.getState();
      }
      if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') return false;
      await existing.remove();
    }
    await this.queue.add('build', { releaseId }, {
      jobId: releaseId,
      attempts: BUILD_JOB_ATTEMPTS,
      backoff: BUILD_BACKOFF,
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
    return true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
