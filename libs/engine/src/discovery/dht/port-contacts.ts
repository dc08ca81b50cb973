import { TokenBucket } from '../../policy/token-bucket';
import { RecentPeers } from '../recent-peers';

export interface PortContactsOptions {
  /** Contacts accepted per second over time (default 2). */
  readonly perSecond?: number;
  /** Contacts accepted at once after a quiet spell (default 20). */
  readonly burst?: number;
  /** One contact is pinged at most once per this window (default 10 min). */
  readonly repeatWindowMs?: number;
  readonly clock: () => number;
}

/**
 * Gate in front of DhtDiscovery.addNode for BEP 5 PORT messages: each costs a ping, and any connected peer
 * can send as many as it likes, so repeats are dropped and the rest are rate-limited session-wide.
 */
export class PortContacts {
  private readonly bucket: TokenBucket;
  private readonly recent: RecentPeers;

  constructor(private readonly options: PortContactsOptions) {
    this.bucket = new TokenBucket(options.perSecond ?? 2, options.burst ?? 20, options.clock());
    this.recent = new RecentPeers(options.repeatWindowMs ?? 10 * 60_000, 1024);
  }

  /** True when the contact should be pinged now. */
  admit(host: string, port: number): boolean {
    if (host === '' || !Number.isInteger(port) || port <= 0 || port > 0xffff) return false;
    const now = this.options.clock();
    if (this.bucket.available(now) < 1) return false;
    if (!this.recent.admit(`${host} ${port}`, now)) return false;
    return this.bucket.take(1, now);
  }
}
