import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import { HashPool } from '@seedfleet/hashing';
import type { ObjectStore } from '@seedfleet/storage';
import type { TrackerRegistry } from '@seedfleet/tracker';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { PUBLISHER_CONFIG, REDIS_URL } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { ReleaseRepository } from '../releases/release.repository';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { TRACKER_STORE } from '../tracker/tracker.tokens';
import { TrustService } from '../trust/trust.service';
import { describeError, isRetryable } from './build-errors';
import { BUILD_JOB_ATTEMPTS, bullPrefix, BUILDS_QUEUE, type BuildJobData } from './build-queue';
import { ReleaseBuilder } from './release-builder';
import { seedfleetVersion } from './seedfleet-version';

/** Lease timings of the BullMQ worker; a killed worker's job is picked up again after about lock + stall. */
export interface BuildWorkerOptions {
  readonly run: boolean;
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
}

export const BUILD_WORKER_OPTIONS = Symbol('BUILD_WORKER_OPTIONS');

const logger = new Logger('builds');

/** Consumes the `builds` queue when this process is a build worker (BUILD_WORKER=inline or worker.js). */
@Injectable()
export class BuildWorker implements OnModuleInit, OnApplicationShutdown {
  private worker?: Worker<BuildJobData>;
  private connection?: Redis;
  private pool?: HashPool;

  constructor(
    @Inject(BUILD_WORKER_OPTIONS) private readonly options: BuildWorkerOptions,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
    @Inject(REDIS_URL) private readonly redisUrl: string,
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(TRACKER_STORE) private readonly registry: TrackerRegistry,
    private readonly releases: ReleaseRepository,
    // Absent in worker.js (no signing keys there): the publisher's TUF reconciler lists those releases.
    @Optional() @Inject(TrustService) private readonly trust?: TrustService,
  ) {}

  onModuleInit(): void {
    if (!this.options.run) return;
    this.pool = new HashPool({ size: Math.max(1, Math.min(this.config.buildConcurrency * 2, 4)) });
    const builder = new ReleaseBuilder({ store: this.store, releases: this.releases, registry: this.registry, config: this.config, pool: this.pool, createdBy: `seedfleet ${seedfleetVersion()}` });
    this.connection = new Redis(this.redisUrl, { maxRetriesPerRequest: null });
    this.worker = new Worker<BuildJobData>(BUILDS_QUEUE, (job) => this.process(builder, job), {
      connection: this.connection,
      prefix: bullPrefix(this.config),
      concurrency: this.config.buildConcurrency,
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      // A worker killed mid-build leaves a stalled job; it goes back to the queue this many times.
      maxStalledCount: 3,
    });
    this.worker.on('error', (error) => logger.error(`build worker: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.connection?.quit().catch(() => this.connection?.disconnect());
    await this.pool?.close();
  }

  private async process(builder: ReleaseBuilder, job: Job<BuildJobData>): Promise<string> {
    const { releaseId } = job.data;
    const attempt = job.attemptsMade + 1;
    try {
      const outcome = await builder.build(releaseId, attempt);
      if (outcome !== 'skipped') await this.trust?.publishRelease(releaseId);
      logger.log(`release ${releaseId}: ${outcome} (attempt ${attempt})`);
      return outcome;
    } catch (error) {
      const retry = isRetryable(error) && attempt < (job.opts.attempts ?? BUILD_JOB_ATTEMPTS);
      const message = describeError(error);
      logger.warn(`release ${releaseId}: build attempt ${attempt} failed${retry ? ', will retry' : ''}: ${message}`);
      await this.releases
        .update(releaseId, (current) =>
          current.status === 'retired' || current.status === 'ready'
            ? undefined
            : { ...current, status: retry ? 'queued' : 'failed', error: retry ? `attempt ${attempt} failed, retrying: ${message}` : message },
        )
        .catch((updateError: unknown) => logger.error(`release ${releaseId}: cannot record the failure: ${(updateError as Error).message}`));
      throw retry ? error : new UnrecoverableError(message);
    }
  }
}
