import { randomBytes } from 'node:crypto';
import type { RemoteInfo } from 'node:dgram';
import type { Timers } from '../../tracker/announcer/timers';
import { DiscoveryError, discoveryError } from '../discovery-error';
import { discoveryAllowed } from '../discovery-policy';
import { DueTargets } from '../due-targets';
import { RecentPeers } from '../recent-peers';
import type { DiscoveryMembership, DiscoveryTarget, PeerDiscovery } from '../types';
import { LSD_IPV4_GROUP, LSD_IPV6_GROUP, lsdHostHeader, type LsdGroup } from './lsd-group';
import { decodeLsdAnnounce, encodeLsdAnnounces, type LsdDecodeFailure } from './lsd-message';
import { LsdSocket } from './lsd-socket';

/** Why a received datagram produced no peers (for counters and tests). */
export type LsdIgnoreReason = LsdDecodeFailure | 'own' | 'unknown-infohash' | 'repeated';

export interface LsdDiscoveryOptions {
  /** Our BitTorrent (TCP) listen port, sent in every announce. */
  readonly peerPort: number;
  /** Default: BEP 14's IPv4 and IPv6 groups on port 6771. A group that cannot be joined goes to onError. */
  readonly groups?: readonly LsdGroup[];
  /** Fleet setting: announce private torrents too (default false: BEP 27). */
  readonly lsdForPrivateTorrents?: boolean;
  /** Regular re-announce (default 5 min, BEP 14). */
  readonly intervalMs?: number;
  /** Floor between two announces of one info hash, and between two reports of one peer (default 1 min). */
  readonly minIntervalMs?: number;
  /** Multicast TTL / hop limit (default 1: the LAN). */
  readonly hops?: number;
  /** Sent in our announces so we can drop our own copies (default 8 random hex digits). */
  readonly cookie?: string;
  readonly clock?: () => number;
  readonly timers?: Timers;
  readonly onError?: (error: DiscoveryError) => void;
  readonly onIgnored?: (reason: LsdIgnoreReason, from: RemoteInfo) => void;
}

const defaults = { intervalMs: 5 * 60_000, minIntervalMs: 60_000, hops: 1 };

/**
 * BEP 14 Local Service Discovery for a whole session: one socket per multicast group, every torrent's info
 * hash announced on add and every 5 minutes (packed several per datagram, at most once a minute per hash),
 * announces from others turned into onPeers calls for the torrents we have.
 */
export class LsdDiscovery implements PeerDiscovery {
  readonly source = 'lsd' as const;
  readonly cookie: string;
  private readonly targets: DueTargets;
  private readonly recentPeers: RecentPeers;
  private readonly clock: () => number;
  private sockets: LsdSocket[] = [];
  private closed = false;

  private constructor(private readonly options: LsdDiscoveryOptions) {
    this.cookie = options.cookie ?? randomBytes(4).toString('hex');
    this.clock = options.clock ?? (() => performance.now());
    const minIntervalMs = options.minIntervalMs ?? defaults.minIntervalMs;
    const intervalMs = options.intervalMs ?? defaults.intervalMs;
    this.targets = new DueTargets({ intervalMs, minIntervalMs, clock: this.clock, timers: options.timers, onDue: (hashes) => this.announce(hashes) });
    this.recentPeers = new RecentPeers(minIntervalMs);
  }

  /**
   * Opens a socket per group. Groups that fail are reported to onError and left out; rejects with the first
   * DiscoveryError only when no group could be opened.
   */
  static async start(options: LsdDiscoveryOptions): Promise<LsdDiscovery> {
    const lsd = new LsdDiscovery(options);
    const groups = options.groups ?? [LSD_IPV4_GROUP, LSD_IPV6_GROUP];
    const handlers = { onMessage: (datagram: Buffer, from: RemoteInfo) => lsd.receive(datagram, from), onError: (error: DiscoveryError) => lsd.report(error) };
    const opened = await Promise.allSettled(groups.map((group) => LsdSocket.open(group, options.hops ?? defaults.hops, handlers)));
    const failures: DiscoveryError[] = [];
    for (const result of opened) {
      if (result.status === 'fulfilled') lsd.sockets.push(result.value);
      else failures.push(result.reason as DiscoveryError);
    }
    if (lsd.sockets.length === 0) throw failures[0] ?? new DiscoveryError('bind-failed', 'LSD: no multicast group configured');
    for (const failure of failures) lsd.report(failure);
    return lsd;
  }

  add(target: DiscoveryTarget): DiscoveryMembership | undefined {
    if (this.closed || !discoveryAllowed('lsd', target, this.options)) return undefined;
    return this.targets.add(target);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.targets.close();
    await Promise.all(this.sockets.map((socket) => socket.close()));
  }

  /** Every due hash to every group, packed into as few datagrams as fit. */
  private announce(hashes: string[]): void {
    for (const socket of this.sockets) {
      const fields = { host: lsdHostHeader(socket.group), port: this.options.peerPort, infoHashes: hashes, cookie: this.cookie };
      for (const datagram of encodeLsdAnnounces(fields)) socket.send(datagram);
    }
  }

  private receive(datagram: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    const decoded = decodeLsdAnnounce(datagram);
    if (!decoded.ok) return this.ignore(decoded.reason, from);
    const { announce } = decoded;
    if (announce.cookie === this.cookie) return this.ignore('own', from);
    const peer = { host: from.address, port: announce.port };
    let known = false;
    let reported = false;
    for (const hash of announce.infoHashes) {
      const target = this.targets.get(hash);
      if (target === undefined) continue;
      known = true;
      if (!this.recentPeers.admit(`${hash} ${peer.host} ${peer.port}`, this.clock())) continue;
      reported = true;
      try {
        target.onPeers([peer], 'lsd');
      } catch (error) {
        this.report(discoveryError('callback', 'LSD onPeers', error));
      }
    }
    if (!known) this.ignore('unknown-infohash', from);
    else if (!reported) this.ignore('repeated', from);
  }

  private ignore(reason: LsdIgnoreReason, from: RemoteInfo): void {
    this.options.onIgnored?.(reason, from);
  }

  private report(error: DiscoveryError): void {
    if (!this.closed) this.options.onError?.(error);
  }
}
