import { type DynamicModule, Module } from '@nestjs/common';
import { BuildsModule } from '../builds/builds.module';
import type { BuildWorkerOptions } from '../builds/build-worker';
import { ProductsController } from '../products/products.controller';
import { ReleaseUploads } from './release-uploads';
import { ReleasesController } from './releases.controller';
import { ReleasesService } from './releases.service';

/** /api/products and /api/releases (admin), with the build queue (and worker, per BUILD_WORKER). */
@Module({})
export class ReleasesModule {
  static forRoot(worker: BuildWorkerOptions): DynamicModule {
    return {
      module: ReleasesModule,
      imports: [BuildsModule.forRoot(worker)],
      controllers: [ProductsController, ReleasesController],
      providers: [ReleasesService, ReleaseUploads],
    };
  }
}
