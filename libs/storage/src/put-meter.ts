import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { StorageError, type PutOptions } from './object-store';

/** The shortest interval between two onProgress calls (the last call, with the final size, always comes). */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * The stream every put passes its bytes through, whatever the adapter: it hashes them (SHA-256), counts
 * them, fails with StorageError('too-large') at the first byte past maxBytes, and reports progress at most
 * every PROGRESS_INTERVAL_MS. The hash therefore describes exactly the bytes the adapter stored.
 */
export class PutMeter extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private lastProgressAt = 0;
  private digest?: string;
  /** Set when the body went past maxBytes. */
  limitError?: StorageError;

  constructor(
    private readonly key: string,
    private readonly options: Pick<PutOptions, 'maxBytes' | 'onProgress'>,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Not `size`: lib-storage reads a body's `size` as its total length. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Lower-case hex SHA-256 of everything that passed; only valid once the stream has ended. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('PutMeter.sha256 read before the body ended');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const limit = this.options.maxBytes;
    if (limit !== undefined && this.bytes + chunk.length > limit) {
      this.limitError = new StorageError('too-large', `object ${this.key} is larger than the limit of ${limit} bytes`, this.key);
      callback(this.limitError);
      return;
    }
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.reportProgress(false);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    this.reportProgress(true);
    callback();
  }

  private reportProgress(final: boolean): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    const now = this.now();
    if (!final && now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return;
    this.lastProgressAt = now;
    try {
      onProgress(this.bytes);
    } catch {
      // A failing progress callback is the caller's bug; it must not corrupt or abort the upload.
    }
  }
}

export interface MeteredBody {
  /** The body as the adapter reads it. */
  readonly meter: PutMeter;
  /** The first failure on the body's side: too large, aborted, or the source stream's own error. */
  failure(): Error | undefined;
  /** Stops listening to the abort signal; after a failure also destroys the caller's stream. */
  release(failed: boolean): void;
}

/**
 * Starts reading a put's body through a PutMeter at once, before the adapter's first await, so a source
 * that fails early has a listener, and an abort signal destroys the meter with StorageError('aborted').
 */
export function meterBody(key: string, body: Readable | Buffer, options: PutOptions): MeteredBody {
  const source = bodyStream(body);
  const meter = new PutMeter(key, options);
  // Failures are reported through failure(); this only keeps an error that happens before the adapter
  // consumes the meter from being an unhandled 'error' event.
  meter.on('error', () => undefined);
  let bodyFailure: Error | undefined;
  const fail = (error: Error) => {
    bodyFailure ??= error;
    meter.destroy(error);
  };
  // A body that fails mid-stream is nearly always a client that went away; either way the put did not
  // happen because the caller's stream stopped, which is what 'aborted' says (not a storage fault).
  source.on('error', (error: Error) =>
    fail(error instanceof StorageError ? error : new StorageError('aborted', `put ${key} aborted: the body stream failed: ${error.message}`, key, { cause: error })),
  );
  source.pipe(meter);
  const signal = options.signal;
  const onAbort = () => {
    if (signal) fail(abortedError(key, signal));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    meter,
    failure: () => bodyFailure ?? meter.limitError,
    release: (failed) => {
      signal?.removeEventListener('abort', onAbort);
      if (failed) source.destroy();
    },
  };
}

/** Puts accept a Buffer or a stream; both are read as a stream so one code path handles both. */
function bodyStream(body: Readable | Buffer): Readable {
  if (Buffer.isBuffer(body)) return Readable.from(body.length > 0 ? [body] : []);
  // Duck-typed: request bodies from other stream implementations (or realms) are not `instanceof Readable`.
  if (typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function' && typeof (body as Readable).on === 'function') return body;
  throw new StorageError('io', 'put body must be a Buffer or a Readable stream');
}

/** Validates the numeric put options once so adapters do not each re-check them. */
export function checkPutOptions(key: string, options: PutOptions | undefined): void {
  const maxBytes = options?.maxBytes;
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new StorageError('io', `put ${key}: maxBytes must be a non-negative integer, got ${String(maxBytes)}`, key);
  }
  if (options?.signal?.aborted) throw abortedError(key, options.signal);
}

export function abortedError(key: string, signal: AbortSignal): StorageError {
  const reason: unknown = signal.reason;
  const detail = reason instanceof Error ? `: ${reason.message}` : '';
  return new StorageError('aborted', `put ${key} aborted${detail}`, key, { cause: reason });
}
