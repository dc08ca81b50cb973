export type DiscoveryErrorCode = 'bind-failed' | 'join-failed' | 'send-failed' | 'socket' | 'dht' | 'bad-state' | 'callback';

/** Everything the discovery services report through `onError`; nothing they do throws at the process. */
export class DiscoveryError extends Error {
  override readonly name = 'DiscoveryError';

  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Wraps anything thrown or emitted into a DiscoveryError with context. */
export function discoveryError(code: DiscoveryErrorCode, context: string, cause: unknown): DiscoveryError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DiscoveryError(code, `${context}: ${detail}`, { cause });
}
