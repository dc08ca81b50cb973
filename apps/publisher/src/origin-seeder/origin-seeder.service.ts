import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Session, type Torrent } from '@seedfleet/engine';
import { NO_LOCALITY, type TrackerRegistry } from '@seedfleet/tracker';
import type { ObjectStore } from '@seedfleet/storage';
import type { Redis } from 'ioredis';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { REDIS } from '../redis/redis.tokens';
import { ReleaseCatalog } from '../releases-downloads/release-catalog';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { TRACKER_STORE } from '../tracker/tracker.tokens';
import { OriginSeeder } from './origin-seeder';
import type { OriginSeederConfig } from './origin-seeder-config';
import { ReadLimiter } from './read-limiter';

export const ORIGIN_SEEDER_CONFIG = Symbol('ORIGIN_SEEDER_CONFIG');

/**
 * The publisher as a BitTorrent peer seeding every ready release from storage (for clients without web
 * seeds). Starts after the app is up, rescans releases every ORIGIN_SEEDER_POLL_SECONDS (and whenever
 * `refresh()` is called, e.g. by the build worker), stops with the app. Announces to the publisher's own
 * tracker with one passkey shared by every replica (kept in Redis).
 */
@Injectable()
export class OriginSeederService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OriginSeeder');
  private session: Session | undefined;
  private seeder: OriginSeeder | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(ORIGIN_SEEDER_CONFIG) private readonly config: OriginSeederConfig,
    @Inject(PUBLISHER_CONFIG) private readonly publisher: PublisherConfig,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ReleaseCatalog) private readonly catalog: ReleaseCatalog,
    @Inject(TRACKER_STORE) private readonly registry: TrackerRegistry,
  ) {}

  /** The BitTorrent listen port, once started (undefined when disabled or not listening). */
  get port(): number | undefined {
    return this.seeder ? this.session?.port : undefined;
  }

  get releaseIds(): string[] {
    return this.seeder?.releaseIds ?? [];
  }

  /** The engine torrent seeding a release, for status and tests. */
  torrentOf(releaseId: string): Torrent | undefined {
    return this.seeder?.torrentOf(releaseId);
  }

  /** Rescans now (a build just finished, a release was retired); a no-op when the seeder is off. */
  async refresh(): Promise<void> {
    await this.seeder?.refresh();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) {
      this.logger.log('origin seeder off (ORIGIN_SEEDER=off)');
      return;
    }
    const passkey = await this.originPasskey();
    const session = await this.listen();
    if (session === undefined) return;
    this.session = session;
    this.seeder = new OriginSeeder({
      session,
      catalog: this.catalog,
      objects: this.objects,
      announceUrl: `${this.publisher.publicUrl}/announce/${passkey}`,
      limiter: new ReadLimiter(this.config.maxReads),
      superSeed: this.config.superSeed,
      log: { log: (message) => this.logger.log(message), warn: (message) => this.logger.warn(message) },
    });
    this.logger.log(`origin seeder listening on port ${session.port}, rescanning releases every ${this.config.pollSeconds} s`);
    this.timer = setInterval(() => void this.scan(), this.config.pollSeconds * 1000);
    this.timer.unref();
    void this.scan();
  }

  /**
   * A session listening on the configured address; the default dual-stack '::' falls back to IPv4 on hosts
   * without IPv6. Undefined when it cannot listen: the API, tracker and web seed still work, so the
   * publisher goes on without the origin peer and says why.
   */
  private async listen(): Promise<Session | undefined> {
    const hosts = this.config.host === '::' ? ['::', '0.0.0.0'] : [this.config.host];
    let failure: unknown;
    for (const host of hosts) {
      const session = new Session({ port: this.config.port, host });
      try {
        await session.listen();
        return session;
      } catch (error) {
        failure = error;
        await session.close();
        const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') break;
      }
    }
    this.logger.error(`origin seeder not started: ${(failure as Error).message} (set ORIGIN_SEEDER_PORT or ORIGIN_SEEDER_HOST, or ORIGIN_SEEDER=off)`);
    return undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.seeder?.close();
    await this.session?.close();
  }

  private async scan(): Promise<void> {
    try {
      await this.seeder?.refresh();
    } catch (error) {
      this.logger.warn(`rescanning releases failed (next try in ${this.config.pollSeconds} s): ${(error as Error).message}`);
    }
  }

  /** One passkey for the origin, shared by replicas through Redis and registered with the tracker. */
  private async originPasskey(): Promise<string> {
    const key = `${this.publisher.redisKeyPrefix}origin-seeder:passkey`;
    await this.redis.set(key, `origin-${randomBytes(18).toString('base64url')}`, 'NX');
    const passkey = (await this.redis.get(key))!;
    await this.registry.registerPasskey(passkey, NO_LOCALITY);
    return passkey;
  }
}
