import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ObjectStore } from '@seedfleet/storage';
import type { TrackerRegistry } from '@seedfleet/tracker';
import { truncatedInfoHash } from '@seedfleet/metainfo';
import type { Redis } from 'ioredis';
import { ApiError, badRequest, conflict } from '../api/api-error';
import { CHANNEL_PATTERN, matching, optionalBoolean, PRODUCT_NAME_PATTERN, rejectUnknownFields, requireObject, VERSION_PATTERN } from '../api/validation';
import { BuildQueue } from '../builds/build-queue';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { ProductRepository } from '../products/product.repository';
import { REDIS } from '../redis/redis.tokens';
import { readJsonObject, writeJsonObject } from '../storage/json-objects';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { TRACKER_STORE } from '../tracker/tracker.tokens';
import { TrustService } from '../trust/trust.service';
import { newReleaseId } from './release-id';
import { byPath, torrentNameOf } from './release-files';
import { parseReleaseSource, resolveSourceObjects, type SourceObject } from './release-sources';
import { RELEASE_STATUSES, releaseKeys, type Release, type ReleaseFile, type ReleaseFilter, type ReleaseStatus, type StoredRelease } from './release.model';
import { ReleaseRepository } from './release.repository';

const logger = new Logger('releases');

/** meta/versions/<product>/<version>.json: which release holds a version (survives a Redis loss). */
const versionKey = (product: string, version: string): string => `meta/versions/${product}/${version}.json`;

/** Release life cycle: create (empty, or from existing objects), build, list, retire. */
@Injectable()
export class ReleasesService {
  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(PUBLISHER_CONFIG) private readonly config: PublisherConfig,
    @Inject(TRACKER_STORE) private readonly registry: TrackerRegistry,
    private readonly releases: ReleaseRepository,
    private readonly products: ProductRepository,
    private readonly builds: BuildQueue,
    @Optional() @Inject(TrustService) private readonly trust?: TrustService,
  ) {}

  async create(body: unknown): Promise<Release> {
    const input = requireObject(body, 'release');
    rejectUnknownFields(input, ['product', 'version', 'channel', 'public', 'source'], 'release');
    const productName = matching(input.product, 'product', PRODUCT_NAME_PATTERN, 'my-app');
    const version = matching(input.version, 'version', VERSION_PATTERN, '1.2.3');
    const channel = input.channel === undefined ? 'stable' : matching(input.channel, 'channel', CHANNEL_PATTERN, 'stable');
    const isPublic = optionalBoolean(input.public, 'public', false);
    const source = parseReleaseSource(input.source);
    const product = await this.products.require(productName);
    if (!product.channels.includes(channel)) throw badRequest(`channel: product ${productName} has no channel "${channel}" (channels: ${product.channels.join(', ')})`);
    const sourceObjects = source ? await resolveSourceObjects(this.store, source) : [];

    const id = newReleaseId();
    const claim = `${this.config.redisKeyPrefix}release-version:${productName}:${version}`;
    if ((await this.redis.set(claim, id, 'NX')) !== 'OK') throw this.duplicateVersion(productName, version, await this.redis.get(claim));
    const existing = await readJsonObject<{ releaseId: string }>(this.store, versionKey(productName, version));
    if (existing) throw this.duplicateVersion(productName, version, existing.releaseId);

    const now = new Date().toISOString();
    const record: StoredRelease = { id, product: productName, version, channel, public: isPublic, status: 'uploading', createdAt: now, updatedAt: now, files: [], torrentName: torrentNameOf(productName, version) };
    try {
      await this.releases.create(record);
      await writeJsonObject(this.store, versionKey(productName, version), { releaseId: id });
      if (sourceObjects.length === 0) return this.releases.withUrls(record);
      const files = await this.copySourceObjects(id, sourceObjects);
      await this.releases.update(id, (current) => ({ ...current, files, status: 'queued' }));
      await this.builds.enqueue(id);
      return this.releases.require(id);
    } catch (error) {
      await this.undoCreate(record, sourceObjects).catch((undoError: unknown) => logger.error(`undoing release ${id}: ${(undoError as Error).message}`));
      await this.redis.del(claim);
      throw error;
    }
  }

  async build(id: string): Promise<Release> {
    let previous: ReleaseStatus | undefined;
    const queued = await this.releases.update(id, (current) => {
      previous = current.status;
      if (current.status === 'queued' || current.status === 'building' || current.status === 'ready') return undefined;
      if (current.status === 'retired') throw conflict(`release ${id} is retired`);
      if (current.files.length === 0) throw badRequest(`release ${id} has no files; upload them with PUT /api/releases/${id}/files/<path> first`);
      return { ...current, status: 'queued', error: undefined, build: undefined };
    });
    // Queued or building: enqueue is a no-op while the job exists, and re-creates a job lost with Redis.
    if (previous === 'ready') return queued;
    try {
      await this.builds.enqueue(id, { previousRunEnded: previous === 'failed' });
    } catch (error) {
      await this.releases.update(id, (current) => (current.status === 'queued' ? { ...current, status: previous ?? 'uploading' } : undefined));
      throw new ApiError(503, `cannot queue the build: ${(error as Error).message}`, { cause: error });
    }
    return queued;
  }

  async retire(id: string): Promise<Release> {
    const retired = await this.releases.update(id, (current) => (current.status === 'retired' ? undefined : { ...current, status: 'retired' }));
    // Repeated on every retire call, so a failure here is fixed by retrying the request.
    for (const hex of [retired.infoHashV1, retired.infoHashV2]) {
      if (hex) await this.registry.unregisterInfoHash(truncatedInfoHash(Buffer.from(hex, 'hex')));
    }
    await this.trust?.retireRelease(id);
    return retired;
  }

  list(query: Record<string, unknown>): Promise<Release[]> {
    rejectUnknownFields(query, ['product', 'channel', 'status'], 'query');
    const filter: ReleaseFilter = {
      product: query.product === undefined ? undefined : matching(query.product, 'product', PRODUCT_NAME_PATTERN, 'my-app'),
      channel: query.channel === undefined ? undefined : matching(query.channel, 'channel', CHANNEL_PATTERN, 'stable'),
      status: query.status === undefined ? undefined : status(query.status),
    };
    return this.releases.list(filter);
  }

  private async copySourceObjects(id: string, objects: readonly SourceObject[]): Promise<ReleaseFile[]> {
    const files: ReleaseFile[] = [];
    for (const object of objects) {
      const source = await this.store.get(object.key);
      const stored = await this.store.put(releaseKeys.file(id, object.path), source.body, { contentType: 'application/octet-stream' });
      files.push({ path: object.path, size: stored.size, sha256: stored.sha256 });
    }
    return files.sort(byPath);
  }

  private async undoCreate(record: StoredRelease, objects: readonly SourceObject[]): Promise<void> {
    for (const object of objects) await this.store.delete(releaseKeys.file(record.id, object.path));
    const marker = await readJsonObject<{ releaseId: string }>(this.store, versionKey(record.product, record.version));
    if (marker?.releaseId === record.id) await this.store.delete(versionKey(record.product, record.version));
    await this.releases.deleteRecord(record.id);
  }

  private duplicateVersion(product: string, version: string, releaseId: string | null): ApiError {
    return conflict(`product ${product} already has version ${version}${releaseId ? ` (release ${releaseId})` : ''}; versions are immutable, publish a new one`);
  }
}

function status(value: unknown): ReleaseStatus {
  if (typeof value !== 'string' || !(RELEASE_STATUSES as readonly string[]).includes(value)) throw badRequest(`status: expected one of ${RELEASE_STATUSES.join(', ')}`);
  return value as ReleaseStatus;
}
