import { resolve } from 'node:path';
import { ConfigError } from './config-error';
import { EnvReader } from './env-reader';

export interface PublisherConfig {
  host: string;
  port: number;
  /** Base URL agents and BitTorrent clients use to reach this publisher (tracker, web seed, API). */
  publicUrl: string;
  /** Local state: filesystem storage, generated secrets, the embedded Redis's files. */
  dataDir: string;
  /** Redis for queues and rollout state; undefined means "find or start one" (see redis-locator.ts). */
  redisUrl?: string;
}

/** Validates the environment once at boot; every option is listed in the README's configuration table. */
export function loadPublisherConfig(env: Record<string, string | undefined> = process.env): PublisherConfig {
  const read = new EnvReader(env);
  const host = read.string('HOST', '0.0.0.0');
  const port = read.port('PORT', 8080);
  const dataDir = resolve(read.string('DATA_DIR', './var'));
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const advertisedHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = read.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://${advertisedHost}:${port}`;
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { host, port, publicUrl, dataDir, redisUrl };
}
