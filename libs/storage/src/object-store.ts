import type { Readable } from 'node:stream';

/**
 * The publisher's object storage port: artifacts, built torrents, manifests and TUF metadata.
 * Two adapters (local directory, S3 through the AWS SDK v3) pass one conformance suite.
 *
 * Keys are `/`-separated relative paths (`releases/<id>/files/a/b.bin`). Adapters reject keys that are
 * empty, absolute, contain `..`, `.` or empty segments, backslashes or NUL with StorageError('bad-key').
 */
export interface ObjectStore {
  /** Streams `body` into `key` (multipart on S3 for large bodies); never buffers the whole object. The
   * object appears atomically: readers see the old object or the new one, never a partial one. */
  put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<PutResult>;
  /** Streams the object, or the inclusive byte range [start, end] of it. StorageError('not-found') if absent,
   * StorageError('bad-range') if start is past the end. */
  get(key: string, range?: ByteRange): Promise<GetResult>;
  /** Size and metadata, or undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every key under the prefix (recursive), sorted bytewise; pages internally. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** A time-limited GET URL a third party can fetch without credentials, or undefined when the adapter
   * cannot make one (the local adapter: the publisher serves those bytes itself). */
  presignGet(key: string, options: { expiresInSeconds: number; responseContentDisposition?: string }): Promise<string | undefined>;
  /** Human-readable one-line description for logs, never a secret: `fs:/var/seedfleet/objects`,
   * `s3://bucket/prefix/ (region) via https://endpoint`. */
  describe(): string;
  close(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive; omitted means to the end. */
  end?: number;
}

export interface PutOptions {
  contentType?: string;
  /** When given, the adapter fails the put with StorageError('too-large') once more bytes arrive, and
   * nothing is left behind. */
  maxBytes?: number;
  /** Called with the number of bytes accepted so far (throttled by the adapter, at least at the end). */
  onProgress?: (bytes: number) => void;
  signal?: AbortSignal;
}

export interface PutResult {
  key: string;
  size: number;
  /** Lower-case hex SHA-256 of the bytes stored, computed while streaming. */
  sha256: string;
}

export interface GetResult {
  body: Readable;
  /** Size of the whole object. */
  size: number;
  /** The range actually returned (inclusive end). */
  range: { start: number; end: number };
  contentType?: string;
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * - not-found: get of a missing key (head answers undefined, delete succeeds).
 * - bad-key: a key or list prefix breaking the key rules, or one the local store cannot hold (a key under
 *   an existing object, `.incoming/`, a segment too long for the file system).
 * - bad-range: a range starting at or past the end, or malformed.
 * - too-large: the body went past PutOptions.maxBytes.
 * - unavailable: the store did not answer usably within its retries (S3 5xx/SlowDown/resets), or the
 *   process is out of file descriptors.
 * - access-denied: 403 / EACCES / EPERM / read-only file system.
 * - aborted: the put's signal fired, or its body stream failed (usually the uploading client went away).
 * - io: anything else, including a full disk (ENOSPC) and invalid adapter configuration.
 */
export type StorageErrorCode = 'not-found' | 'bad-key' | 'bad-range' | 'too-large' | 'unavailable' | 'access-denied' | 'aborted' | 'io';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly key?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
