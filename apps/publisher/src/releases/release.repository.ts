import { Inject, Injectable } from '@nestjs/common';
import { toMagnet } from '@seedfleet/metainfo';
import type { ObjectStore } from '@seedfleet/storage';
import type { Redis } from 'ioredis';
import { notFound } from '../api/api-error';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { REDIS } from '../redis/redis.tokens';
import { readJsonObject, writeJsonObject } from '../storage/json-objects';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { withRedisLock } from './redis-lock';
import { RELEASE_ID_PATTERN, releaseKeys, type Release, type ReleaseFilter, type StoredRelease } from './release.model';

const LIST_READ_PARALLELISM = 8;

/**
 * Release records in the object store (the source of truth), updated under a per-release Redis lock so
 * the API, replicas and build workers never lose each other's changes. Returns records with their URLs.
 */
@Injectable()
export class ReleaseRepository {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
  ) {}

  /** undefined for unknown ids, including strings that are not release ids at all. */
  async get(id: string): Promise<Release | undefined> {
    const stored = await this.getStored(id);
    return stored && this.withUrls(stored);
  }

  /** The release, or a 404 ApiError naming the id. */
  async require(id: string): Promise<Release> {
    const release = await this.get(id);
    if (!release) throw notFound(`release ${JSON.stringify(id)} does not exist`);
    return release;
  }

  /** Newest first. */
  async list(filter: ReleaseFilter = {}): Promise<Release[]> {
    const ids: string[] = [];
    for await (const object of this.store.list(releaseKeys.recordsPrefix)) ids.push(object.key.slice(releaseKeys.recordsPrefix.length).replace(/\.json$/, ''));
    const releases: StoredRelease[] = [];
    // Records are read a few at a time: one round trip each on S3.
    for (let start = 0; start < ids.length; start += LIST_READ_PARALLELISM) {
      for (const stored of await Promise.all(ids.slice(start, start + LIST_READ_PARALLELISM).map((id) => this.getStored(id)))) {
        if (!stored) continue;
        if (filter.product !== undefined && stored.product !== filter.product) continue;
        if (filter.channel !== undefined && stored.channel !== filter.channel) continue;
        if (filter.status !== undefined && stored.status !== filter.status) continue;
        releases.push(stored);
      }
    }
    releases.sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : b.createdAt.localeCompare(a.createdAt)));
    return releases.map((release) => this.withUrls(release));
  }

  async create(release: StoredRelease): Promise<Release> {
    await writeJsonObject(this.store, releaseKeys.record(release.id), release);
    return this.withUrls(release);
  }

  /**
   * Read-modify-write under the release's lock. `change` returns the new record, or undefined to leave it
   * as it is; it may throw (an ApiError for a state conflict) and nothing is written.
   */
  async update(id: string, change: (current: StoredRelease) => StoredRelease | undefined | Promise<StoredRelease | undefined>): Promise<Release> {
    return withRedisLock(this.redis, `${this.config.redisKeyPrefix}lock:release:${id}`, async () => {
      const current = await this.getStored(id);
      if (!current) throw notFound(`release ${JSON.stringify(id)} does not exist`);
      const next = await change(current);
      if (next === undefined) return this.withUrls(current);
      const saved: StoredRelease = { ...next, id: current.id, updatedAt: new Date().toISOString() };
      await writeJsonObject(this.store, releaseKeys.record(id), saved);
      return this.withUrls(saved);
    });
  }

  /** Removes the record only (used to undo a creation that could not complete). */
  async deleteRecord(id: string): Promise<void> {
    await this.store.delete(releaseKeys.record(id));
  }

  withUrls(release: StoredRelease): Release {
    const base = `${this.config.publicUrl}/api/releases/${release.id}`;
    const webSeedUrl = `${this.config.publicUrl}/webseed/${release.id}/`;
    const magnet =
      release.infoHashV1 && release.infoHashV2
        ? toMagnet({
            infoHashV1: Buffer.from(release.infoHashV1, 'hex'),
            infoHashV2: Buffer.from(release.infoHashV2, 'hex'),
            name: release.torrentName,
            trackers: release.public ? [`${this.config.publicUrl}/announce`] : [],
            webSeeds: [webSeedUrl],
            peers: [],
          })
        : undefined;
    return { ...release, torrentUrl: `${base}/torrent`, magnet, manifestUrl: `${base}/manifest`, webSeedUrl };
  }

  private async getStored(id: string): Promise<StoredRelease | undefined> {
    if (!RELEASE_ID_PATTERN.test(id)) return undefined;
    return readJsonObject<StoredRelease>(this.store, releaseKeys.record(id));
  }
}
