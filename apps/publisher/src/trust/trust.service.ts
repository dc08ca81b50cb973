import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { ObjectStore } from '@seedfleet/storage';
import { ObjectStoreMetadataStore, type RefreshResult, type RepositoryStatus, type TargetInput, type TufRepository } from '@seedfleet/trust';
import type { Redis } from 'ioredis';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { REDIS } from '../redis/redis.tokens';
import { releaseKeys, type StoredRelease } from '../releases/release.model';
import { ReleaseRepository } from '../releases/release.repository';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { openRepository } from './open-repository';
import { customOf, releaseTargetNames, sameCustom } from './release-targets';
import { RepositoryLock } from './repository-lock';
import { readTargetBytes } from './target-bytes';
import type { TrustConfig } from './trust-config';
import { TRUST_CONFIG, TRUST_ENV } from './trust.tokens';

/** Object-store prefixes of the repository; HTTP serves them at /tuf/ and /tuf/targets/. */
export const TUF_METADATA_PREFIX = 'tuf/metadata/';
export const TUF_TARGETS_PREFIX = 'tuf/targets/';
const REFRESH_INTERVAL_NAME = 'tuf-timestamp-refresh';
const ROOT_EXPIRY_WARNING_MS = 30 * 86_400_000;

const logger = new Logger('trust');

/**
 * The publisher's TUF repository (libs/trust) over the object store: opens it (or, on a first development
 * start, creates keys and root), lists each ready release's .torrent and manifest as targets and drops
 * retired ones, and re-signs the timestamp on a timer. Writes from all replicas go through one Redis lock.
 */
@Injectable()
export class TrustService implements OnModuleInit, OnApplicationShutdown {
  readonly metadataStore: ObjectStoreMetadataStore;
  readonly targetStore: ObjectStoreMetadataStore;
  private readonly lock: RepositoryLock;
  /** Settles when onModuleInit has opened the repository; a build finishing before that waits for it. */
  private readonly opening: Promise<TufRepository>;
  private opened!: (repository: TufRepository) => void;
  private failedToOpen!: (error: unknown) => void;
  private tickRunning = false;

  constructor(
    @Inject(TRUST_CONFIG) private readonly trust: TrustConfig,
    @Inject(TRUST_ENV) private readonly env: Record<string, string | undefined>,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(REDIS) redis: Redis,
    private readonly releases: ReleaseRepository,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.metadataStore = new ObjectStoreMetadataStore(objects, { prefix: TUF_METADATA_PREFIX });
    this.targetStore = new ObjectStoreMetadataStore(objects, { prefix: TUF_TARGETS_PREFIX });
    this.opening = new Promise((resolve, reject) => {
      this.opened = resolve;
      this.failedToOpen = reject;
    });
    this.opening.catch(() => undefined);
    this.lock = new RepositoryLock(redis, `${config.redisKeyPrefix}lock:tuf`, { onLost: (key) => logger.error(`lost the TUF repository lock ${key} while writing; another replica may publish concurrently`) });
  }

  async onModuleInit(): Promise<void> {
    let repository: TufRepository;
    try {
      repository = await this.lock.withLock(() =>
        openRepository({ metadataStore: this.metadataStore, targetStore: this.targetStore, trust: this.trust, env: this.env, publicUrl: this.config.publicUrl, logger }),
      );
    } catch (error) {
      this.failedToOpen(error);
      throw error;
    }
    this.opened(repository);
    const status = await repository.status();
    if (Date.parse(status.root.expires) - Date.now() < ROOT_EXPIRY_WARNING_MS) {
      logger.warn(`TUF root v${status.root.version} expires ${status.root.expires}: sign a new root offline with 'seedfleet keys rotate-root' soon`);
    }
    this.scheduler.addInterval(REFRESH_INTERVAL_NAME, setInterval(() => void this.tick(), this.trust.refreshIntervalMs));
    await this.tick();
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', REFRESH_INTERVAL_NAME)) this.scheduler.deleteInterval(REFRESH_INTERVAL_NAME);
  }

  async status(): Promise<RepositoryStatus> {
    return (await this.opening).status();
  }

  /** Re-signs the timestamp (and snapshot, targets) when due; what the timer runs. */
  async refresh(): Promise<RefreshResult> {
    const repository = await this.opening;
    return this.lock.withLock(() => repository.refreshTimestamp({ ifExpiringWithinMs: this.trust.refreshWindowMs }));
  }

  /** After a build: lists the release's .torrent and manifest (no change when already listed as they are). */
  async publishRelease(releaseId: string): Promise<void> {
    const repository = await this.opening;
    await this.lock.withLock(async () => {
      const release = await this.releases.get(releaseId);
      if (release) await this.sync(repository, [release]);
    });
  }

  /** After a retire: removes the release's targets (no change when not listed). */
  retireRelease(releaseId: string): Promise<void> {
    return this.publishRelease(releaseId);
  }

  /** Brings the targets in line with every release record: ready ones listed, retired ones not. */
  async reconcile(): Promise<void> {
    const repository = await this.opening;
    await this.lock.withLock(async () => this.sync(repository, await this.releases.list()));
  }

  private async sync(repository: TufRepository, releases: readonly StoredRelease[]): Promise<void> {
    const listed = new Map((await repository.listTargets()).map((target) => [target.name, target]));
    const additions: TargetInput[] = [];
    const removals: string[] = [];
    for (const release of releases) {
      const names = releaseTargetNames(release);
      if (release.status === 'retired') {
        removals.push(...[names.torrent, names.manifest].filter((name) => listed.has(name)));
        continue;
      }
      if (release.status !== 'ready') continue;
      const custom = customOf(release);
      const objects = [
        { name: names.torrent, key: releaseKeys.torrent(release.id) },
        { name: names.manifest, key: releaseKeys.manifest(release.id) },
      ];
      for (const { name, key } of objects) {
        const current = listed.get(name);
        // Listed with the same release fields: the build is deterministic, so the bytes are too. Only new or
        // changed targets cost a storage read (the timer reconciles every release).
        if (current && sameCustom(current.custom, custom)) continue;
        const bytes = await readTargetBytes(this.objects, key);
        if (!bytes) {
          logger.error(`release ${release.id} is ready but ${key} is missing; not listing ${name}`);
          continue;
        }
        additions.push({ name, bytes, custom });
      }
    }
    if (additions.length > 0) {
      await repository.addTargets(additions);
      logger.log(`TUF targets added: ${additions.map((target) => target.name).join(', ')}`);
    }
    if (removals.length > 0) {
      await repository.removeTargets(removals);
      logger.log(`TUF targets removed: ${removals.join(', ')}`);
    }
  }

  private async tick(): Promise<void> {
    if (this.tickRunning) return;
    this.tickRunning = true;
    try {
      const { refreshed, status } = await this.refresh();
      if (refreshed.length > 0) logger.log(`re-signed TUF ${refreshed.join(', ')}; timestamp v${status.timestamp.version} expires ${status.timestamp.expires}`);
      // Releases built by standalone workers (which hold no keys) or whose target update failed.
      await this.reconcile();
    } catch (error) {
      logger.error(`TUF refresh failed: ${(error as Error).message}`);
    } finally {
      this.tickRunning = false;
    }
  }
}
