import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { checkRangeShape, rangeHeader, resolveRange } from './byte-range';
import { isValidKey, validateKey, validatePrefix } from './keys';
import { StorageError, type ByteRange, type GetResult, type ObjectInfo, type ObjectStore, type PutOptions, type PutResult } from './object-store';
import { checkPutOptions, meterBody } from './put-meter';
import { FullJitterRetryStrategy } from './retry-policy';
import { redactUrl, resolveS3Config, type ResolvedS3Config, type S3ObjectStoreConfig } from './s3-config';
import { s3StorageError } from './s3-errors';

/** S3's limit on a pre-signed URL's lifetime (SigV4). */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * The S3 adapter (AWS SDK v3): multipart uploads through lib-storage with bounded memory, ranged GETs,
 * ListObjectsV2 paging, pre-signed GET URLs, and retries with full-jitter backoff on throttling and
 * transient failures (FullJitterRetryStrategy).
 */
export class S3ObjectStore implements ObjectStore {
  readonly config: ResolvedS3Config;
  private readonly client: S3Client;

  constructor(config: S3ObjectStoreConfig) {
    this.config = resolveS3Config(config);
    const { region, endpoint, forcePathStyle, credentials, checksumMode, maxAttempts } = this.config;
    this.client = new S3Client({
      region,
      endpoint,
      forcePathStyle,
      credentials,
      requestChecksumCalculation: checksumMode,
      responseChecksumValidation: checksumMode,
      maxAttempts,
      retryStrategy: new FullJitterRetryStrategy({ maxAttempts, baseDelayMs: this.config.retryBaseDelayMs, maxDelayMs: this.config.retryMaxDelayMs }),
      requestHandler: { connectionTimeout: this.config.connectionTimeoutMs, socketTimeout: this.config.socketTimeoutMs },
    });
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    validateKey(key);
    checkPutOptions(key, options);
    const metered = meterBody(key, body, options);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.config.bucket, Key: this.objectKey(key), Body: metered.meter, ContentType: options.contentType },
      partSize: this.config.partSize,
      queueSize: this.config.queueSize,
      // A failed or aborted put must leave nothing: lib-storage sends AbortMultipartUpload before done() rejects.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      metered.release(true);
      // Our side's reason (too large, aborted, the body's error) wins over whatever lib-storage reports
      // while it stops the upload.
      throw s3StorageError(metered.failure() ?? error, 'put', key);
    }
    metered.release(false);
    // An abort that arrives once the last byte is read cannot stop the commit already sent; the object is
    // then complete and consistent, so the put reports success.
    return { key, size: metered.meter.byteCount, sha256: metered.meter.sha256 };
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    validateKey(key);
    if (range) checkRangeShape(key, range);
    let output;
    try {
      output = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), Range: range ? rangeHeader(range) : undefined }));
    } catch (error) {
      throw s3StorageError(error, 'get', key);
    }
    const body = output.Body;
    if (!(body instanceof Readable)) throw new StorageError('io', `S3 get ${key}: the response has no body stream`, key);
    try {
      const contentLength = output.ContentLength ?? 0;
      const served = parseContentRange(output.ContentRange) ?? { start: 0, end: contentLength - 1, size: contentLength };
      const wanted = resolveRange(key, range, served.size);
      if (served.start > wanted.start || served.end < wanted.end) {
        throw new StorageError('io', `S3 get ${key}: asked for bytes ${wanted.start}-${wanted.end}, the server sent ${served.start}-${served.end}`, key);
      }
      // Some S3-compatible servers answer a range with more than asked (s3rver ignores an end of 0) or
      // with the whole object; the caller gets exactly the bytes it asked for.
      const exact = served.start === wanted.start && served.end === wanted.end;
      return {
        body: exact ? body : sliceStream(body, wanted.start - served.start, wanted.end - wanted.start + 1),
        size: served.size,
        range: wanted,
        contentType: output.ContentType,
      };
    } catch (error) {
      body.destroy();
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    try {
      const output = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
      return { key, size: output.ContentLength ?? 0, lastModified: output.LastModified ?? new Date(0) };
    } catch (error) {
      const mapped = s3StorageError(error, 'head', key);
      if (mapped.code === 'not-found') return undefined;
      throw mapped;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const storePrefix = this.config.prefix;
    let continuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: storePrefix + prefix, ContinuationToken: continuationToken, MaxKeys: this.config.listPageSize }),
        );
      } catch (error) {
        throw s3StorageError(error, 'list', prefix === '' ? '(all keys)' : prefix);
      }
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(storePrefix.length);
        // Objects written by other tools may have keys this port cannot address; they are not ours to show.
        if (key === undefined || !isValidKey(key)) continue;
        yield { key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      if (page.IsTruncated && !page.NextContinuationToken) {
        throw new StorageError('io', `S3 list ${prefix}: the store said the listing is truncated but gave no continuation token`, prefix);
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      const mapped = s3StorageError(error, 'delete', key);
      if (mapped.code !== 'not-found') throw mapped;
    }
  }

  async presignGet(key: string, options: { expiresInSeconds: number; responseContentDisposition?: string }): Promise<string> {
    validateKey(key);
    const { expiresInSeconds, responseContentDisposition } = options;
    if (!Number.isSafeInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
      throw new StorageError('io', `presignGet ${key}: expiresInSeconds must be an integer in [1, ${MAX_PRESIGN_SECONDS}], got ${String(expiresInSeconds)}`, key);
    }
    const command = new GetObjectCommand({ Bucket: this.config.bucket, Key: this.objectKey(key), ResponseContentDisposition: responseContentDisposition });
    try {
      return await getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
    } catch (error) {
      throw s3StorageError(error, 'presignGet', key);
    }
  }

  describe(): string {
    return describeS3(this.config);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return this.config.prefix + key;
  }
}

/** `s3://bucket/prefix/ (region) via endpoint`: what a log line needs, never credentials. */
export function describeS3(config: Pick<ResolvedS3Config, 'bucket' | 'prefix' | 'region' | 'endpoint'>): string {
  const where = config.endpoint ? ` via ${redactUrl(config.endpoint)}` : '';
  return `s3://${config.bucket}/${config.prefix} (${config.region})${where}`;
}

/** `bytes 0-99/1234` → { start, end, size }; undefined when absent or unparseable. */
export function parseContentRange(value: string | undefined): { start: number; end: number; size: number } | undefined {
  const match = value ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(value.trim()) : null;
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

/** `length` bytes of `source` after skipping `skip`; destroys the source once they are through. */
function sliceStream(source: Readable, skip: number, length: number): Readable {
  async function* slice(): AsyncGenerator<Buffer> {
    let toSkip = skip;
    let remaining = length;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        let part = chunk;
        if (toSkip > 0) {
          const skipped = Math.min(toSkip, part.length);
          part = part.subarray(skipped);
          toSkip -= skipped;
        }
        if (part.length === 0) continue;
        if (part.length >= remaining) {
          yield part.subarray(0, remaining);
          return;
        }
        remaining -= part.length;
        yield part;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(slice(), { objectMode: false });
}

