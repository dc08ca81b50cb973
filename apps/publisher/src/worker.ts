import 'reflect-metadata';
import { type INestApplicationContext, Logger, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeStorage, type ObjectStore } from '@seedfleet/storage';
import { BuildsModule } from './builds/builds.module';
import type { BuildWorkerOptions } from './builds/build-worker';
import { withConfigFile } from './config/config-file';
import { ConfigError } from './config/config-error';
import { CoreModule } from './config/core.module';
import { loadPublisherConfig } from './config/publisher-config';
import { StartupLogger } from './config/startup-logger';
import { locateRedis, RedisUnavailableError } from './redis/redis-locator';
import { ReleaseRecordsModule } from './releases/release-records.module';
import { objectStoreConfig, StorageModule } from './storage/storage.module';
import { TrackerModule } from './tracker/tracker.module';

export interface StartBuildWorkerOptions {
  /** Default process.env (CONFIG_FILE is merged in). */
  readonly env?: Record<string, string | undefined>;
  readonly wrapObjectStore?: (store: ObjectStore) => ObjectStore;
  readonly buildWorker?: Omit<BuildWorkerOptions, 'run'>;
}

@Module({})
class WorkerModule {}

/**
 * A build worker without HTTP: the same configuration as the publisher (REDIS_URL, STORAGE, ...), consuming
 * the `builds` queue. Production runs several of these next to publishers started with BUILD_WORKER=off.
 */
export async function startBuildWorker(options: StartBuildWorkerOptions = {}): Promise<INestApplicationContext> {
  const env = withConfigFile(options.env ?? process.env);
  const config = loadPublisherConfig(env);
  if (!config.redisUrl) throw new ConfigError(['REDIS_URL: required for a standalone build worker (it must share the publisher\'s Redis)']);
  await locateRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir });
  // The worker only registers info hashes; the tracker's UDP endpoint belongs to the publisher.
  const trackerEnv = { ...env, TRACKER_UDP_PORT: undefined };
  const module: DynamicModule = {
    module: WorkerModule,
    imports: [
      CoreModule.forRoot(config, config.redisUrl),
      StorageModule.forRoot(config.storage, options.wrapObjectStore),
      ReleaseRecordsModule,
      { ...TrackerModule.forRoot(config.redisUrl, config.host, trackerEnv), global: true },
      BuildsModule.forRoot({ ...options.buildWorker, run: true }),
    ],
  };
  const context = await NestFactory.createApplicationContext(module, { logger: new StartupLogger() });
  context.enableShutdownHooks();
  new Logger('seedfleet').log(`build worker started: concurrency ${config.buildConcurrency}, storage ${describeStorage(objectStoreConfig(config.storage))}`);
  return context;
}

if (require.main === module) {
  startBuildWorker().catch((error: unknown) => {
    const known = error instanceof ConfigError || error instanceof RedisUnavailableError;
    process.stderr.write(`seedfleet build worker: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exit(1);
  });
}
