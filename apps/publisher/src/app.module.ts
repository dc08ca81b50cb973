import { Module, type DynamicModule, type OnApplicationShutdown, Inject } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { PublisherConfig } from './config/publisher-config';
import { HealthController } from './health/health.controller';
import { REDIS } from './redis/redis.tokens';
import { TrackerModule } from './tracker/tracker.module';

export const PUBLISHER_CONFIG = Symbol('PUBLISHER_CONFIG');

class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({})
export class AppModule {
  /** Config and the Redis URL are resolved before Nest starts, so a bad environment fails fast and clearly. */
  static forRoot(config: PublisherConfig, redisUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [TrackerModule.forRoot(redisUrl, config.host)],
      controllers: [HealthController],
      providers: [
        { provide: PUBLISHER_CONFIG, useValue: config },
        { provide: REDIS, useFactory: () => new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: false }) },
        RedisLifecycle,
      ],
    };
  }
}
