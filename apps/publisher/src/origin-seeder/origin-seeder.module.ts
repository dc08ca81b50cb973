import { type DynamicModule, Module } from '@nestjs/common';
import { ReleasesDownloadsModule } from '../releases-downloads/releases-downloads.module';
import { loadOriginSeederConfig } from './origin-seeder-config';
import { ORIGIN_SEEDER_CONFIG, OriginSeederService } from './origin-seeder.service';

/** The origin seeder (OriginSeederService, exported so the build worker can call refresh()). */
@Module({})
export class OriginSeederModule {
  /** Reads ORIGIN_SEEDER_* now, so a bad environment fails before Nest starts (ConfigError). */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: OriginSeederModule,
      imports: [ReleasesDownloadsModule],
      providers: [{ provide: ORIGIN_SEEDER_CONFIG, useValue: loadOriginSeederConfig(env) }, OriginSeederService],
      exports: [OriginSeederService],
    };
  }
}
