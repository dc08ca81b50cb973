import { type DynamicModule, Module } from '@nestjs/common';
import { BuildQueue } from './build-queue';
import { BuildReconciler } from './build-reconciler';
import { BUILD_WORKER_OPTIONS, BuildWorker, type BuildWorkerOptions } from './build-worker';

/**
 * The `builds` queue (BuildQueue, exported for the release API), the reconciler that re-queues builds lost
 * with Redis and, when `run` is set, the worker that consumes the queue. Needs the global OBJECT_STORE,
 * TRACKER_STORE, PUBLISHER_CONFIG and REDIS_URL providers.
 */
@Module({})
export class BuildsModule {
  static forRoot(options: BuildWorkerOptions): DynamicModule {
    return {
      module: BuildsModule,
      providers: [{ provide: BUILD_WORKER_OPTIONS, useValue: options }, BuildQueue, BuildWorker, BuildReconciler],
      exports: [BuildQueue, BuildReconciler],
    };
  }
}
