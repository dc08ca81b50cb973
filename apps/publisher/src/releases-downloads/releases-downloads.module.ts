import { Logger, Module } from '@nestjs/common';
import type { ObjectStore } from '@seedfleet/storage';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { DownloadsController } from './downloads.controller';
import { ReleaseCatalog } from './release-catalog';

/**
 * GET /api/releases/:id/torrent|magnet|manifest, and the ReleaseCatalog (cached read side of release
 * records and torrents) the web seed and the origin seeder share. OBJECT_STORE comes from the global
 * storage module.
 */
@Module({
  controllers: [DownloadsController],
  providers: [
    {
      provide: ReleaseCatalog,
      inject: [OBJECT_STORE],
      useFactory: (store: ObjectStore) => {
        const logger = new Logger('ReleaseCatalog');
        return new ReleaseCatalog(store, { onUnreadable: (id, error) => logger.warn(`release record ${id} unreadable, skipped this time: ${(error as Error)?.message}`) });
      },
    },
  ],
  exports: [ReleaseCatalog],
})
export class ReleasesDownloadsModule {}
