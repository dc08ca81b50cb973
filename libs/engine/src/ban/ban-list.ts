import { canonicalIp } from './canonical-ip';

export interface BanEntry {
  readonly ip: string;
  readonly reason: string;
  /** Clock time the ban ends; undefined: for the session's life. */
  readonly until?: number;
}

export interface BanListOptions {
  /** Monotonic milliseconds (default performance.now). */
  readonly clock?: () => number;
  /** Strikes (failed pieces an address alone sent) that ban it (default 2). */
  readonly strikesToBan?: number;
  /** Most banned addresses kept; beyond it the oldest ban goes (default 10,000). */
  readonly maxEntries?: number;
}

type BanListener = (entry: BanEntry) => void;

/**
 * The session's banned IP addresses, shared by all its torrents: fed by SmartBan (strikes for failed
 * pieces, an outright ban when a block is proven bad), read by the listener (refuse at accept), the
 * swarms (never dial), PEX and trackers (drop from peer lists). Keyed by canonical IP, so an IPv4 peer
 * seen over a dual-stack socket is the same address. Bounded: strikes and bans evict their oldest.
 */
export class BanList {
  private readonly bans = new Map<string, BanEntry>();
  private readonly strikes = new Map<string, number>();
  private readonly listeners = new Set<BanListener>();
  private readonly clock: () => number;
  private readonly strikesToBan: number;
  private readonly maxEntries: number;

  constructor(options: BanListOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.strikesToBan = options.strikesToBan ?? 2;
    this.maxEntries = options.maxEntries ?? 10_000;
    if (!Number.isInteger(this.strikesToBan) || this.strikesToBan < 1) throw new RangeError(`strikesToBan ${this.strikesToBan} must be a positive integer`);
  }

  /** Bans `host` (for `durationMs`, or for good); returns false if it is not an IP address. */
  ban(host: string, reason: string, durationMs?: number): boolean {
    const ip = canonicalIp(host);
    if (ip === undefined) return false;
    const entry: BanEntry = durationMs === undefined ? { ip, reason } : { ip, reason, until: this.clock() + durationMs };
    this.bans.delete(ip);
    this.bans.set(ip, entry);
    this.strikes.delete(ip);
    if (this.bans.size > this.maxEntries) this.bans.delete(this.bans.keys().next().value as string);
    for (const listener of this.listeners) {
      try {
        listener(entry);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'BanListWarning');
      }
    }
    return true;
  }

  /** One failure blamed on `host`; bans it at `strikesToBan`. Returns whether it is banned now. */
  strike(host: string, reason: string): boolean {
    const ip = canonicalIp(host);
    if (ip === undefined) return false;
    if (this.isBanned(ip)) return true;
    const count = (this.strikes.get(ip) ?? 0) + 1;
    if (count >= this.strikesToBan) return this.ban(ip, `${reason} (${count} failures)`);
    this.strikes.delete(ip);
    this.strikes.set(ip, count);
    if (this.strikes.size > this.maxEntries) this.strikes.delete(this.strikes.keys().next().value as string);
    return false;
  }

  strikesOf(host: string): number {
    const ip = canonicalIp(host);
    return ip === undefined ? 0 : (this.strikes.get(ip) ?? 0);
  }

  isBanned(host: string): boolean {
    return this.entry(host) !== undefined;
  }

  /** The ban on `host`, if any and not expired. */
  entry(host: string): BanEntry | undefined {
    const ip = canonicalIp(host);
    const entry = ip === undefined ? undefined : this.bans.get(ip);
    if (entry?.until !== undefined && entry.until <= this.clock()) {
      this.bans.delete(entry.ip);
      return undefined;
    }
    return entry;
  }

  unban(host: string): void {
    const ip = canonicalIp(host);
    if (ip === undefined) return;
    this.bans.delete(ip);
    this.strikes.delete(ip);
  }

  list(): BanEntry[] {
    return [...this.bans.values()].filter((entry) => this.entry(entry.ip) !== undefined);
  }

  /** Called on every new ban (torrents disconnect the address); returns the unsubscribe function. */
  onBan(listener: BanListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
