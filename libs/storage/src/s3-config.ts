import { validatePrefix } from './keys';
import { StorageError } from './object-store';

export type ChecksumMode = 'WHEN_REQUIRED' | 'WHEN_SUPPORTED';

export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface S3ObjectStoreConfig {
  readonly bucket: string;
  readonly region: string;
  /** An S3-compatible endpoint (MinIO, Ceph, s3rver, R2...); omitted for AWS S3. */
  readonly endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`; most S3-compatible stores need it. Default false. */
  readonly forcePathStyle?: boolean;
  /** Static credentials; omitted means the SDK's default chain (env, shared config, web identity, instance role). */
  readonly credentials?: S3Credentials;
  /** Key prefix inside the bucket (`seedfleet/`), so several deployments can share one bucket. Default none. */
  readonly prefix?: string;
  /**
   * The SDK's requestChecksumCalculation and responseChecksumValidation. WHEN_SUPPORTED (the SDK default
   * for AWS) adds CRC checksums to every upload; many S3-compatible stores (s3rver included) do not
   * understand them and store aws-chunked framing as data, so the default here is WHEN_REQUIRED. Object
   * integrity does not depend on it: every put returns the SHA-256 of the bytes sent.
   */
  readonly checksumMode?: ChecksumMode;
  /** Attempts per request, the first included. Default 5. */
  readonly maxAttempts?: number;
  /** Multipart part size in bytes (S3 minimum 5 MiB). Default 8 MiB. */
  readonly partSize?: number;
  /** Parts uploaded in parallel; a put buffers at most about (queueSize + 1) × partSize. Default 2. */
  readonly queueSize?: number;
  /** First retry's backoff ceiling; doubles per retry (full jitter). Default 100 ms. */
  readonly retryBaseDelayMs?: number;
  /** Backoff ceiling. Default 5000 ms. */
  readonly retryMaxDelayMs?: number;
  /** Keys per ListObjectsV2 page (1..1000). Default 1000. */
  readonly listPageSize?: number;
  /** TCP connect timeout. Default 5000 ms. */
  readonly connectionTimeoutMs?: number;
  /** A request whose socket stays idle this long fails (and is retried). Default 60000 ms. */
  readonly socketTimeoutMs?: number;
}

export type ResolvedS3Config = Required<Omit<S3ObjectStoreConfig, 'endpoint' | 'credentials'>> & Pick<S3ObjectStoreConfig, 'endpoint' | 'credentials'>;

export const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_SIZE = 5 * 1024 * 1024 * 1024;

export function resolveS3Config(config: S3ObjectStoreConfig): ResolvedS3Config {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(typeof config.bucket === 'string' && /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(config.bucket), `bucket must be a valid S3 bucket name, got ${JSON.stringify(config.bucket)}`);
  check(typeof config.region === 'string' && config.region.length > 0, 'region is required (any value, e.g. us-east-1, for S3-compatible stores)');
  if (config.endpoint !== undefined) check(isHttpUrl(config.endpoint), `endpoint must be an http(s) URL, got ${JSON.stringify(redactUrl(config.endpoint))}`);
  if (config.credentials !== undefined) {
    check(Boolean(config.credentials.accessKeyId) && Boolean(config.credentials.secretAccessKey), 'credentials need both accessKeyId and secretAccessKey');
  }
  if (config.checksumMode !== undefined) check(config.checksumMode === 'WHEN_REQUIRED' || config.checksumMode === 'WHEN_SUPPORTED', `checksumMode must be WHEN_REQUIRED or WHEN_SUPPORTED, got ${String(config.checksumMode)}`);
  const integer = (name: keyof S3ObjectStoreConfig, min: number, max: number) => {
    const value = config[name];
    if (value !== undefined) check(Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max, `${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  };
  integer('maxAttempts', 1, 20);
  integer('partSize', MIN_PART_SIZE, MAX_PART_SIZE);
  integer('queueSize', 1, 16);
  integer('retryBaseDelayMs', 1, 60_000);
  integer('retryMaxDelayMs', 1, 300_000);
  integer('listPageSize', 1, 1000);
  integer('connectionTimeoutMs', 1, 300_000);
  integer('socketTimeoutMs', 1, 3_600_000);
  let prefix = config.prefix ?? '';
  if (prefix !== '') {
    if (!prefix.endsWith('/')) prefix += '/';
    try {
      validatePrefix(prefix);
    } catch (error) {
      problems.push(`prefix: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0) throw new StorageError('io', `invalid S3 storage configuration: ${problems.join('; ')}`);
  return {
    bucket: config.bucket,
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle ?? false,
    credentials: config.credentials,
    prefix,
    checksumMode: config.checksumMode ?? 'WHEN_REQUIRED',
    maxAttempts: config.maxAttempts ?? 5,
    partSize: config.partSize ?? 8 * 1024 * 1024,
    queueSize: config.queueSize ?? 2,
    retryBaseDelayMs: config.retryBaseDelayMs ?? 100,
    retryMaxDelayMs: config.retryMaxDelayMs ?? 5000,
    listPageSize: config.listPageSize ?? 1000,
    connectionTimeoutMs: config.connectionTimeoutMs ?? 5000,
    socketTimeoutMs: config.socketTimeoutMs ?? 60_000,
  };
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An endpoint for logs: scheme, host and path, never user info or query (a pre-signed or basic-auth URL). */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
