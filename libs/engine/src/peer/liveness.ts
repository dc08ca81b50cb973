/** What the liveness check asks for: nothing, a keep-alive, or closing an idle connection. */
export type LivenessDue = undefined | 'keep-alive' | { readonly idleMs: number };

/**
 * Keep-alives and the idle timeout of one connection: when it last sent and received, and what is due.
 * Pure bookkeeping over the times it is told; the connection runs the timer.
 */
export class Liveness {
  private lastSentAt: number;
  private lastReceivedAt: number;

  constructor(
    now: number,
    private readonly keepAliveIntervalMs: number,
    private readonly idleTimeoutMs: number,
  ) {
    this.lastSentAt = now;
    this.lastReceivedAt = now;
  }

  /** How often to check: a quarter of the shorter interval, so neither is overshot by much. */
  get checkIntervalMs(): number {
    return Math.max(1, Math.floor(Math.min(this.keepAliveIntervalMs, this.idleTimeoutMs) / 4));
  }

  sent(now: number): void {
    this.lastSentAt = now;
  }

  received(now: number): void {
    this.lastReceivedAt = now;
  }

  due(now: number): LivenessDue {
    if (now - this.lastReceivedAt >= this.idleTimeoutMs) return { idleMs: now - this.lastReceivedAt };
    return now - this.lastSentAt >= this.keepAliveIntervalMs ? 'keep-alive' : undefined;
  }
}
