import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../redis/redis.tokens';
import { PUBLISHER_CONFIG, REDIS_URL } from './config.tokens';
import type { PublisherConfig } from './publisher-config';

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * PUBLISHER_CONFIG, REDIS_URL and the shared ioredis client (REDIS), visible to every module of the publisher and of
 * the standalone build worker.
 */
@Module({})
export class CoreModule {
  static forRoot(config: PublisherConfig, redisUrl: string): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: PUBLISHER_CONFIG, useValue: config },
        { provide: REDIS_URL, useValue: redisUrl },
        { provide: REDIS, useFactory: () => new Redis(redisUrl, { maxRetriesPerRequest: null }) },
        RedisLifecycle,
      ],
      exports: [PUBLISHER_CONFIG, REDIS_URL, REDIS],
    };
  }
}
