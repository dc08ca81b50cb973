import { Module } from '@nestjs/common';
import type { TrackerRegistry } from '@seedfleet/tracker';
import type { Redis } from 'ioredis';
import { PUBLISHER_CONFIG } from '../config/config.tokens';
import type { PublisherConfig } from '../config/publisher-config';
import { REDIS } from '../redis/redis.tokens';
import { TRACKER_STORE } from '../tracker/tracker.tokens';
import { EnrollmentController } from './enrollment.controller';
import { EnrollmentStore } from './enrollment-store';
import { EnrollmentService } from './enrollment.service';

/**
 * POST /api/enrollment-tokens (admin) and POST /api/enroll. PUBLISHER_CONFIG, REDIS and the tracker
 * registry (TRACKER_STORE) come from the app's global core and tracker modules.
 */
@Module({
  controllers: [EnrollmentController],
  providers: [
    {
      provide: EnrollmentService,
      inject: [REDIS, PUBLISHER_CONFIG, TRACKER_STORE],
      useFactory: (redis: Redis, config: PublisherConfig, registry: TrackerRegistry) => new EnrollmentService(new EnrollmentStore(redis, config.redisKeyPrefix), registry, config.publicUrl),
    },
  ],
})
export class EnrollmentModule {}
