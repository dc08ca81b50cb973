import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describeStorage } from '@seedfleet/storage';
import { configureHttp, OPENAPI_JSON_PATH } from './api/http-app';
import { AppModule } from './app.module';
import { resolveAdminToken } from './auth/admin-token';
import { ConfigError } from './config/config-error';
import { withConfigFile } from './config/config-file';
import { loadPublisherConfig } from './config/publisher-config';
import { StartupLogger } from './config/startup-logger';
import { locateRedis, RedisUnavailableError } from './redis/redis-locator';
import { objectStoreConfig } from './storage/storage.module';

async function main(): Promise<void> {
  const logger = new Logger('seedfleet');
  const env = withConfigFile(process.env);
  const config = loadPublisherConfig(env);
  const admin = resolveAdminToken(config);
  const redis = await locateRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir });
  logger.log(`Redis: ${redis.source === 'embedded' ? 'started embedded redis-server at ' : ''}${redis.url.replace(/:[^:@/]*@/, ':***@')}`);
  const app = await NestFactory.create(AppModule.forRoot(config, redis.url, { adminToken: admin.token, env }), { logger: new StartupLogger(), bodyParser: false });
  configureHttp(app);
  await app.listen(config.port, config.host);
  const base = config.publicUrl;
  logger.log(`publisher listening on http://${config.host}:${config.port} (public URL ${base})`);
  logger.log(`API:      ${base}/api (products, releases)`);
  logger.log(`OpenAPI:  ${base}/${OPENAPI_JSON_PATH} (UI at ${base}/api/docs)`);
  logger.log(`tracker:  ${base}/announce (private releases: ${base}/announce/<passkey>)`);
  logger.log(`storage:  ${describeStorage(objectStoreConfig(config.storage))}`);
  logger.log(`builds:   ${config.buildWorker === 'inline' ? `in this process (concurrency ${config.buildConcurrency})` : 'BUILD_WORKER=off: run worker.js processes'}`);
  logger.log(`health:   ${base}/healthz`);
  if (admin.generated) {
    // Printed once, on the start that created it; later starts only say where it is.
    process.stdout.write(`\nadmin token (saved to ${admin.path}, mode 0600; shown only now):\n\n  ${admin.token}\n\nuse it as: Authorization: Bearer <token>  (or SEEDFLEET_TOKEN for the CLI)\n\n`);
  } else {
    logger.log(`admin token: ${admin.source === 'file' ? `in ${admin.path}` : 'from SEEDFLEET_ADMIN_TOKEN'}`);
  }
  const stop = async () => {
    await app.close();
    await redis.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof RedisUnavailableError;
  process.stderr.write(`seedfleet publisher: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
