import { type DynamicModule, Module } from '@nestjs/common';
import type { ObjectStore } from '@seedfleet/storage';
import { AuthModule } from './auth/auth.module';
import type { BuildWorkerOptions } from './builds/build-worker';
import { PUBLISHER_CONFIG } from './config/config.tokens';
import { CoreModule } from './config/core.module';
import { EnrollmentModule } from './enrollment/enrollment.module';
import type { PublisherConfig } from './config/publisher-config';
import { HealthController } from './health/health.controller';
import { OriginSeederModule } from './origin-seeder/origin-seeder.module';
import { ReleasesDownloadsModule } from './releases-downloads/releases-downloads.module';
import { ReleaseRecordsModule } from './releases/release-records.module';
import { ReleasesModule } from './releases/releases.module';
import { StorageModule } from './storage/storage.module';
import { TrackerModule } from './tracker/tracker.module';
import { TrustModule } from './trust/trust.module';
import { WebSeedModule } from './webseed/webseed.module';

/** Kept here too for existing imports; new code imports it from config/config.tokens. */
export { PUBLISHER_CONFIG };

export interface AppModuleOptions {
  /** The resolved admin token (resolveAdminToken). */
  readonly adminToken: string;
  /** The environment TRACKER_* settings come from (CONFIG_FILE merged); default process.env. */
  readonly env?: Record<string, string | undefined>;
  readonly wrapObjectStore?: (store: ObjectStore) => ObjectStore;
  /** BullMQ lease timings of the inline build worker. */
  readonly buildWorker?: Omit<BuildWorkerOptions, 'run'>;
}

@Module({})
export class AppModule {
  /**
   * Config, the Redis URL and the admin token are resolved before Nest starts, so a bad environment fails
   * fast and clearly. Core, storage, auth, records and the tracker registry are global modules.
   */
  static forRoot(config: PublisherConfig, redisUrl: string, options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config, redisUrl),
        StorageModule.forRoot(config.storage, options.wrapObjectStore),
        AuthModule.forRoot(options.adminToken),
        ReleaseRecordsModule,
        { ...TrackerModule.forRoot(redisUrl, config.host, options.env), global: true },
        ReleasesModule.forRoot({ ...options.buildWorker, run: config.buildWorker === 'inline' }),
        ReleasesDownloadsModule,
        WebSeedModule,
        EnrollmentModule,
        OriginSeederModule.forRoot(options.env),
        TrustModule.forRoot(config, options.env),
      ],
      controllers: [HealthController],
    };
  }
}
