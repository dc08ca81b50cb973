/**
 * Why an announce or scrape failed. A closed set of stable codes so the Announcer (and a person reading
 * logs) can tell a tracker that said no from one that is down or broken.
 */
export type TrackerErrorCode =
  /** The tracker answered with `failure reason` (HTTP) or an error action (UDP). */
  | 'failure'
  /** An HTTP status other than 200 without a bencoded failure reason. */
  | 'http-status'
  /** No complete answer within the timeout (UDP: after the last retransmission). */
  | 'timeout'
  /** The answer was not a valid tracker response: not bencode, missing fields, bad compact peers. */
  | 'bad-response'
  /** The body was larger than the response size limit. */
  | 'too-large'
  | 'too-many-redirects'
  /** DNS, connect, reset: the tracker could not be reached. */
  | 'network'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** Not an http(s):// or udp:// URL, or scrape is not possible for this URL (BEP 48). */
  | 'unsupported-url'
  /** The caller passed impossible parameters (a 19-byte info hash, a negative port): a bug in the caller. */
  | 'bad-params';

export class TrackerError extends Error {
  override readonly name = 'TrackerError';

  constructor(
    readonly code: TrackerErrorCode,
    readonly url: string,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.status = options?.status;
  }

  /** The HTTP status, for 'http-status' (and 'failure' answers that came with a non-200 status). */
  readonly status?: number;
}

/** Wraps anything a transport caught: our own errors pass through, the rest becomes `fallback`. */
export function asTrackerError(error: unknown, url: string, fallback: TrackerErrorCode = 'network'): TrackerError {
  if (error instanceof TrackerError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TrackerError(fallback, url, message, { cause: error });
}
