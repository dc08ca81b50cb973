import { BaseFetcher } from 'tuf-js';
import { DownloadHTTPError } from 'tuf-js/dist/error';

/** The last request that failed, kept because tuf-js flattens errors from snapshot and targets loads into text. */
export interface FetchFailure {
  readonly url: string;
  /** The HTTP status, or undefined when no response arrived (refused, reset, timed out). */
  readonly status?: number;
  readonly message: string;
}

export interface HttpFetcherOptions {
  readonly timeoutMs: number;
  /** Further attempts after a network error or a 5xx answer. */
  readonly retries: number;
  readonly userAgent: string;
  readonly signal?: AbortSignal;
}

/**
 * tuf-js's fetcher over Node's fetch, with a timeout per request, bounded retries with backoff and a record
 * of the last failure. tuf-js checks the length of what arrives against the signed length.
 */
export class HttpFetcher extends BaseFetcher {
  lastFailure: FetchFailure | undefined;

  constructor(private readonly options: HttpFetcherOptions) {
    super();
  }

  override async fetch(url: string): Promise<ReadableStream<Uint8Array<ArrayBuffer>>> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(url);
      if ('body' in outcome) return outcome.body;
      this.lastFailure = outcome.failure;
      const retriable = outcome.failure.status === undefined || outcome.failure.status >= 500;
      if (!retriable || attempt >= this.options.retries || this.options.signal?.aborted) {
        if (outcome.failure.status !== undefined) throw new DownloadHTTPError(`GET ${url}: HTTP ${outcome.failure.status}`, outcome.failure.status);
        throw new Error(`GET ${url}: ${outcome.failure.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }

  private async attempt(url: string): Promise<{ body: ReadableStream<Uint8Array<ArrayBuffer>> } | { failure: FetchFailure }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    try {
      const response = await fetch(url, { headers: { 'user-agent': this.options.userAgent }, signal, redirect: 'follow' });
      if (response.ok && response.body) return { body: response.body as ReadableStream<Uint8Array<ArrayBuffer>> };
      await response.body?.cancel();
      return { failure: { url, status: response.status, message: `HTTP ${response.status}` } };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
      return { failure: { url, message: reason } };
    }
  }
}
