import { Module } from '@nestjs/common';
import { ReleasesDownloadsModule } from '../releases-downloads/releases-downloads.module';
import { WebSeedController } from './webseed.controller';

/** GET/HEAD /webseed/<releaseId>/<torrentName>[/<path...>] (BEP 19), see WebSeedController. */
@Module({
  imports: [ReleasesDownloadsModule],
  controllers: [WebSeedController],
})
export class WebSeedModule {}
