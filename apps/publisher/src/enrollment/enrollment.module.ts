import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
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
 * POST /api/enrollment-tokens (admin) and POST /api/enroll. PUBLISHER_CONFIG and REDIS come from the
 * global core module; the tracker registry (TRACKER_STORE) is looked up in the TrackerModule the app
 * imports, not imported again here (a second TrackerModule.forRoot would be a second tracker).
 */
@Module({
  controllers: [EnrollmentController],
  providers: [
    {
      provide: EnrollmentService,
      inject: [REDIS, PUBLISHER_CONFIG, ModuleRef],
      useFactory: (redis: Redis, config: PublisherConfig, modules: ModuleRef) =>
        new EnrollmentService(new EnrollmentStore(redis, config.redisKeyPrefix), () => modules.get<TrackerRegistry>(TRACKER_STORE, { strict: false }), config.publicUrl),
    },
  ],
})
export class EnrollmentModule {}
