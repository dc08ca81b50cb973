import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { PublisherConfig } from '../config/publisher-config';
import { loadTrustConfig } from './trust-config';
import { TRUST_CONFIG, TRUST_ENV } from './trust.tokens';
import { TrustService } from './trust.service';
import { TufController } from './tuf.controller';

/**
 * TUF for the publisher: TrustService (global, so the build worker and the release API reach it) and the
 * /tuf routes. Needs the global PUBLISHER_CONFIG, REDIS, OBJECT_STORE and ReleaseRepository providers.
 */
@Module({})
export class TrustModule {
  /** Reads TUF_* now, so a bad environment fails before Nest starts (ConfigError). */
  static forRoot(config: PublisherConfig, env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: TrustModule,
      global: true,
      imports: [ScheduleModule.forRoot()],
      controllers: [TufController],
      providers: [
        { provide: TRUST_CONFIG, useValue: loadTrustConfig(config, env) },
        { provide: TRUST_ENV, useValue: env },
        TrustService,
      ],
      exports: [TrustService],
    };
  }
}
