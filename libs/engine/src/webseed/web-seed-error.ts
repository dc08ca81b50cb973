/**
 * Why a web-seed fetch failed. A closed set of stable codes, so the torrent can count them and decide
 * (retry elsewhere, strike, disable) and a person can read them; `message` carries the details.
 */
export type WebSeedErrorCode =
  /** A status we cannot use (404, 403, 416, 500 after the retries...); `status` holds it. */
  | 'http-status'
  /** 503 (or 429) until the retries ran out; the server asked us to come back later. */
  | 'unavailable'
  /** The server answered 200 with the whole file to a Range request: it does not serve ranges. */
  | 'range-ignored'
  /** 206 with a missing, malformed or different Content-Range than the range asked for. */
  | 'bad-content-range'
  /** Content-Length or the body itself is longer than the range asked for. */
  | 'body-too-long'
  /** The response ended (cleanly) before the whole range arrived. */
  | 'body-too-short'
  /** A compressed body (we ask for identity). */
  | 'bad-encoding'
  /** Connect failure, reset, parse error: the exchange broke. */
  | 'connection'
  /** The https server's certificate is not trusted (unknown CA, wrong name, expired): not retried. */
  | 'tls'
  /** No byte for the stall timeout. */
  | 'stalled'
  /** Bytes arrived, but below the minimum rate over the rate window. */
  | 'too-slow'
  | 'too-many-redirects'
  /** A redirect without a usable Location, or to something other than http(s). */
  | 'bad-redirect'
  /** The url-list entry (or the URL built from it) is not an http(s) URL. */
  | 'bad-url'
  /** The seed was disabled (too many strikes, or by the caller): it fetches nothing more. */
  | 'disabled'
  /** The caller's signal fired, or the seed was closed. */
  | 'aborted'
  /** fetch() without a free request slot or byte budget, or during a backoff: check canFetch() first. */
  | 'busy';

/** Codes worth another attempt at the same server after a pause: the server or the path may recover. */
const retryable: ReadonlySet<WebSeedErrorCode> = new Set(['unavailable', 'body-too-short', 'connection', 'stalled', 'too-slow']);

/** Codes that mean the server sent something other than what it was asked for: a strike against the seed. */
const violations: ReadonlySet<WebSeedErrorCode> = new Set(['range-ignored', 'bad-content-range', 'body-too-long', 'bad-encoding']);

export class WebSeedError extends Error {
  override readonly name = 'WebSeedError';
  /** The HTTP status, for 'http-status' and 'unavailable'. */
  readonly status?: number;
  /** Milliseconds the server asked us to wait (503/429 Retry-After), already capped. */
  readonly retryAfterMs?: number;

  constructor(
    readonly code: WebSeedErrorCode,
    /** The URL asked (after redirects, the one that failed). */
    readonly url: string,
    message: string,
    options?: { cause?: unknown; status?: number; retryAfterMs?: number },
  ) {
    super(`${url}: ${message}`, options);
    this.status = options?.status;
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** Another attempt later may succeed (5xx, 503, reset, stall, slow drip, short body). */
  get retryable(): boolean {
    return retryable.has(this.code) || (this.code === 'http-status' && (this.status ?? 0) >= 500);
  }

  /** The server broke the protocol: counts as a strike against the seed. */
  get violation(): boolean {
    return violations.has(this.code);
  }
}

/** Certificate verification failures (OpenSSL's codes as Node reports them): retrying cannot help. */
const tlsCodes = /^(ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE))/;

/** Wraps a socket-level error as 'tls' (untrusted certificate) or 'connection'; our own errors pass through. */
export function asWebSeedError(error: unknown, url: string): WebSeedError {
  if (error instanceof WebSeedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new WebSeedError(typeof code === 'string' && tlsCodes.test(code) ? 'tls' : 'connection', url, message, { cause: error });
}
