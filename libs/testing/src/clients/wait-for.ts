export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';

  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly lastError?: unknown,
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}${lastError instanceof Error ? ` (last error: ${lastError.message})` : ''}`);
  }
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** How often a state that has no event of its own (an RPC answer, a file) is polled. */
  readonly intervalMs?: number;
  /** Checked between polls: a child that died will never satisfy the condition. */
  readonly abortIf?: () => Error | undefined;
}

/**
 * Polls `check` until it returns a value other than undefined. For conditions only observable by asking
 * (an RPC status, a tracker scrape); errors thrown by `check` count as "not yet" until the deadline.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = options.abortIf?.();
    if (aborted) throw aborted;
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(what, options.timeoutMs, lastError);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}
