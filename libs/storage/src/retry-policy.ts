import type { S3ClientConfig } from '@aws-sdk/client-s3';

type RetryStrategyV2 = Extract<NonNullable<S3ClientConfig['retryStrategy']>, { refreshRetryTokenForRetry: unknown }>;
type RetryToken = Awaited<ReturnType<RetryStrategyV2['acquireInitialRetryToken']>>;
type RetryErrorInfo = Parameters<RetryStrategyV2['refreshRetryTokenForRetry']>[1];

export interface RetryPolicy {
  /** Attempts per request, the first one included (1 = no retry). */
  readonly maxAttempts: number;
  /** The backoff ceiling of the first retry; it doubles per retry up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Injected for tests; Math.random by default. */
  readonly random?: () => number;
}

/**
 * Exponential backoff with full jitter (a uniformly random wait in [0, min(max, base·2^(retry-1))]), which
 * spreads the retries of many clients hit by the same outage instead of synchronising them.
 * `retry` counts from 1 (the first retry).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/**
 * The S3 client's retry strategy: retries throttling (503 SlowDown, 429) and transient failures (500, 502,
 * 503, 504, RequestTimeout, connection resets and refusals, timeouts) with full-jitter backoff, honouring
 * a Retry-After hint up to maxDelayMs. Everything else (4xx) fails at once. Unlike the SDK's standard
 * strategy it keeps no shared retry budget, so one long outage cannot disable retries for later requests.
 */
export class FullJitterRetryStrategy implements RetryStrategyV2 {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return retryToken(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    const retry = token.getRetryCount() + 1;
    const retryable = errorInfo.errorType === 'THROTTLING' || errorInfo.errorType === 'TRANSIENT';
    if (!retryable) throw new Error(`not retrying a ${errorInfo.errorType} error`);
    if (retry >= this.policy.maxAttempts) throw new Error(`no attempts left (${this.policy.maxAttempts})`);
    let delay = backoffDelayMs(retry, this.policy);
    if (errorInfo.retryAfterHint) {
      delay = Math.max(delay, Math.min(this.policy.maxDelayMs, errorInfo.retryAfterHint.getTime() - this.now()));
    }
    return retryToken(retry, delay);
  }

  recordSuccess(): void {}
}

function retryToken(retryCount: number, delayMs: number): RetryToken {
  return { getRetryCount: () => retryCount, getRetryDelay: () => delayMs };
}
