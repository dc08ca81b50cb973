import { backoffDelayMs, FullJitterRetryStrategy, type RetryPolicy } from './retry-policy';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };
type ErrorInfo = Parameters<FullJitterRetryStrategy['refreshRetryTokenForRetry']>[1];
const info = (errorType: ErrorInfo['errorType'], retryAfterHint?: Date): ErrorInfo => ({ errorType, retryAfterHint });

describe('backoffDelayMs (exponential backoff, full jitter)', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1000],
    [10, 1000],
  ])('retry %i waits at most %i ms, growing by 2 up to the cap', (retry, ceiling) => {
    expect(backoffDelayMs(retry, { ...policy, random: () => 0.999999 })).toBe(ceiling - 1);
    expect(backoffDelayMs(retry, { ...policy, random: () => 0 })).toBe(0);
    expect(backoffDelayMs(retry, { ...policy, random: () => 0.5 })).toBe(ceiling / 2);
  });

  it('spreads delays over the whole interval (full jitter, not equal jitter)', () => {
    const samples = Array.from({ length: 2000 }, () => backoffDelayMs(3, policy));
    expect(Math.min(...samples)).toBeLessThan(40);
    expect(Math.max(...samples)).toBeGreaterThan(360);
    expect(samples.every((delay) => delay >= 0 && delay < 400)).toBe(true);
  });
});

describe('FullJitterRetryStrategy', () => {
  const strategy = new FullJitterRetryStrategy({ ...policy, random: () => 0.5 }, () => 10_000);

  it('retries throttling and transient errors until maxAttempts is reached', async () => {
    let token = await strategy.acquireInitialRetryToken();
    expect(token.getRetryCount()).toBe(0);
    const delays: number[] = [];
    for (const errorType of ['THROTTLING', 'TRANSIENT', 'THROTTLING'] as const) {
      token = await strategy.refreshRetryTokenForRetry(token, info(errorType));
      delays.push(token.getRetryDelay());
    }
    expect(token.getRetryCount()).toBe(3);
    expect(delays).toEqual([50, 100, 200]);
    await expect(strategy.refreshRetryTokenForRetry(token, info('TRANSIENT'))).rejects.toThrow(/no attempts left/);
  });

  it('does not retry client errors or other server errors', async () => {
    const token = await strategy.acquireInitialRetryToken();
    await expect(strategy.refreshRetryTokenForRetry(token, info('CLIENT_ERROR'))).rejects.toThrow(/not retrying/);
    await expect(strategy.refreshRetryTokenForRetry(token, info('SERVER_ERROR'))).rejects.toThrow(/not retrying/);
  });

  it('waits at least until a Retry-After hint, capped at maxDelayMs', async () => {
    const token = await strategy.acquireInitialRetryToken();
    expect((await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', new Date(10_700)))).getRetryDelay()).toBe(700);
    expect((await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', new Date(99_000)))).getRetryDelay()).toBe(1000);
    expect((await strategy.refreshRetryTokenForRetry(token, info('THROTTLING', new Date(9_000)))).getRetryDelay()).toBe(50);
  });

  it('keeps no shared budget: a long outage does not disable retries for later requests', async () => {
    for (let request = 0; request < 200; request++) {
      let token = await strategy.acquireInitialRetryToken();
      for (let retry = 1; retry < policy.maxAttempts; retry++) token = await strategy.refreshRetryTokenForRetry(token, info('THROTTLING'));
    }
    const fresh = await strategy.acquireInitialRetryToken();
    expect((await strategy.refreshRetryTokenForRetry(fresh, info('THROTTLING'))).getRetryCount()).toBe(1);
  });
});
