import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { HttpTracker, peerTtlMs, RedisSwarmStore, sharedTrackerSecret, Tracker } from '@seedfleet/tracker';
import { Redis } from 'ioredis';
import { ioredisPort } from './ioredis-port';
import { loadTrackerConfig, type TrackerConfig } from './tracker-config';
import { TrackerController } from './tracker.controller';
import { TRACKER_CONFIG, TRACKER_REDIS, TRACKER_STORE, TRACKER_UDP_SECRET } from './tracker.tokens';
import { UdpTrackerService } from './udp-tracker.service';

class TrackerRedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(TRACKER_REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * /announce, /announce/<passkey>, /scrape, /scrape/<passkey> and the optional UDP tracker; the logic is
 * libs/tracker's. Exports TRACKER_STORE (a TrackerRegistry) for the modules that register releases and agents.
 */
@Module({})
export class TrackerModule {
  /** Reads TRACKER_* now, so a bad environment fails before Nest starts (ConfigError). */
  static forRoot(publisherRedisUrl: string, host: string, env: Record<string, string | undefined> = process.env): DynamicModule {
    const config: TrackerConfig & { host: string } = { ...loadTrackerConfig(env), host };
    return {
      module: TrackerModule,
      controllers: [TrackerController],
      providers: [
        { provide: TRACKER_CONFIG, useValue: config },
        { provide: TRACKER_REDIS, useFactory: () => new Redis(config.redisUrl ?? publisherRedisUrl, { maxRetriesPerRequest: 2 }) },
        { provide: TRACKER_STORE, inject: [TRACKER_REDIS], useFactory: (redis: Redis) => new RedisSwarmStore(ioredisPort(redis), { keyPrefix: config.keyPrefix, peerTtlMs: peerTtlMs(config.tracker) }) },
        {
          provide: TRACKER_UDP_SECRET,
          inject: [TRACKER_REDIS],
          useFactory: async (redis: Redis) => config.udpSecret ?? (config.udpPort === undefined ? Buffer.alloc(0) : sharedTrackerSecret(ioredisPort(redis), config.keyPrefix)),
        },
        { provide: Tracker, inject: [TRACKER_STORE], useFactory: (store: RedisSwarmStore) => new Tracker(store, config.tracker) },
        { provide: HttpTracker, inject: [Tracker], useFactory: (tracker: Tracker) => new HttpTracker(tracker, config.http) },
        UdpTrackerService,
        TrackerRedisLifecycle,
      ],
      exports: [TRACKER_STORE, Tracker],
    };
  }
}
