import { join, resolve } from 'node:path';
import { ConfigError } from './config-error';
import { EnvReader } from './env-reader';

export type StorageConfig =
  | { readonly kind: 'fs'; readonly dir: string }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly region: string;
      /** S3-compatible stores (MinIO, s3rver, Ceph); unset means AWS. */
      readonly endpoint?: string;
      readonly forcePathStyle: boolean;
      /** Key prefix inside the bucket, so deployments can share one. */
      readonly prefix?: string;
      /** From AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN; unset: the SDK's default chain. */
      readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
    };

export interface PublisherConfig {
  host: string;
  port: number;
  /** Base URL agents and BitTorrent clients use to reach this publisher (tracker, web seed, API). */
  publicUrl: string;
  /** Local state: filesystem storage, generated secrets, the embedded Redis's files. */
  dataDir: string;
  /** Redis for queues and rollout state; undefined means "find or start one" (see redis-locator.ts). */
  redisUrl?: string;
  /** Prefix of every key the publisher keeps in Redis (indexes, locks, the BullMQ queues). */
  redisKeyPrefix: string;
  storage: StorageConfig;
  /** Admin API token; undefined: generated on first start into DATA_DIR/admin-token. */
  adminToken?: string;
  /** Largest single uploaded file. */
  maxUploadBytes: number;
  /** inline: this process also runs the build worker; off: only `worker.js` processes build. */
  buildWorker: 'inline' | 'off';
  /** Builds one worker process runs at the same time. */
  buildConcurrency: number;
}

const DEFAULT_MAX_UPLOAD_BYTES = 64 * 1024 ** 3;

/**
 * Validates the environment once at boot (merge CONFIG_FILE first with withConfigFile); every option is
 * listed in the README's configuration table and every problem is reported at once.
 */
export function loadPublisherConfig(env: Record<string, string | undefined> = process.env): PublisherConfig {
  const read = new EnvReader(env);
  const host = read.string('HOST', '0.0.0.0');
  const port = read.port('PORT', 8080);
  const dataDir = resolve(read.string('DATA_DIR', './var'));
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const advertisedHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const publicUrl = read.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://${advertisedHost}:${port}`;
  const redisKeyPrefix = read.string('REDIS_KEY_PREFIX', 'seedfleet:');
  if (/\s/.test(redisKeyPrefix)) read.problems.push(`REDIS_KEY_PREFIX: must not contain white space`);
  const storage = storageConfig(read, dataDir);
  const adminToken = read.optional('SEEDFLEET_ADMIN_TOKEN');
  if (adminToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(adminToken)) {
    read.problems.push('SEEDFLEET_ADMIN_TOKEN: expected 16 to 256 printable characters without spaces');
  }
  const maxUploadBytes = read.bytes('MAX_UPLOAD_BYTES', DEFAULT_MAX_UPLOAD_BYTES);
  const buildWorker = read.choice('BUILD_WORKER', ['inline', 'off'] as const, 'inline');
  const buildConcurrency = read.integer('BUILD_CONCURRENCY', 1, 1, 64);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { host, port, publicUrl, dataDir, redisUrl, redisKeyPrefix, storage, adminToken, maxUploadBytes, buildWorker, buildConcurrency };
}

function storageConfig(read: EnvReader, dataDir: string): StorageConfig {
  const kind = read.choice('STORAGE', ['fs', 's3'] as const, 'fs');
  if (kind === 'fs') {
    for (const name of ['S3_BUCKET', 'S3_ENDPOINT', 'S3_PREFIX']) {
      if (read.optional(name) !== undefined) read.problems.push(`${name}: only used with STORAGE=s3`);
    }
    return { kind, dir: resolve(read.string('STORAGE_DIR', join(dataDir, 'objects'))) };
  }
  const bucket = read.optional('S3_BUCKET');
  if (bucket === undefined) read.problems.push('S3_BUCKET: required with STORAGE=s3');
  else if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) read.problems.push(`S3_BUCKET: not a valid bucket name: "${bucket}"`);
  const endpoint = read.url('S3_ENDPOINT', ['http:', 'https:']);
  const region = read.string('S3_REGION', read.string('AWS_REGION', 'us-east-1'));
  const forcePathStyle = read.boolean('S3_FORCE_PATH_STYLE', endpoint !== undefined);
  const accessKeyId = read.optional('AWS_ACCESS_KEY_ID');
  const secretAccessKey = read.optional('AWS_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    read.problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither');
  }
  const credentials = accessKeyId !== undefined && secretAccessKey !== undefined ? { accessKeyId, secretAccessKey, sessionToken: read.optional('AWS_SESSION_TOKEN') } : undefined;
  const prefix = read.optional('S3_PREFIX');
  if (prefix !== undefined && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/.test(prefix)) read.problems.push(`S3_PREFIX: expected a relative key prefix like "seedfleet/", got "${prefix}"`);
  return { kind, bucket: bucket ?? '', region, endpoint, forcePathStyle, prefix, credentials };
}
