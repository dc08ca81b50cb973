import { type DynamicModule, Module } from '@nestjs/common';
import { BuildQueue } from './build-queue';
import { BUILD_WORKER_OPTIONS, BuildWorker, type BuildWorkerOptions } from './build-worker';

/**
 * The `builds` queue (BuildQueue, exported for the release API) and, when `run` is set, the worker that
 * consumes it. Needs the global OBJECT_STORE, TRACKER_STORE, PUBLISHER_CONFIG and REDIS_URL providers.
 */
@Module({})
export class BuildsModule {
  static forRoot(options: BuildWorkerOptions): DynamicModule {
    return {
      module: BuildsModule,
      providers: [{ provide: BUILD_WORKER_OPTIONS, useValue: options }, BuildQueue, BuildWorker],
      exports: [BuildQueue],
    };
  }
}
