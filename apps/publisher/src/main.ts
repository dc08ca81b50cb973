import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { ConfigError } from './config/config-error';
import { loadPublisherConfig } from './config/publisher-config';
import { locateRedis, RedisUnavailableError } from './redis/redis-locator';

async function main(): Promise<void> {
  const logger = new Logger('seedfleet');
  const config = loadPublisherConfig();
  const redis = await locateRedis({ redisUrl: config.redisUrl, dataDir: config.dataDir });
  logger.log(`Redis: ${redis.source === 'embedded' ? 'started embedded redis-server at ' : ''}${redis.url.replace(/:[^:@/]*@/, ':***@')}`);
  const app = await NestFactory.create(AppModule.forRoot(config, redis.url), { logger: ['log', 'warn', 'error'] });
  await app.listen(config.port, config.host);
  logger.log(`publisher listening on ${config.host}:${config.port}, public URL ${config.publicUrl}`);
  logger.log(`health: ${config.publicUrl}/healthz`);
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
