import { type ChokeMode, type ChokePeer, decideChokes } from '../policy';
import type { TorrentCore } from './torrent-core';
import type { TorrentPeer } from './torrent-peer';

export interface ChokeLoopOptions {
  /** 'tit-for-tat' (public torrents; 'seeding' once complete) or 'cooperative' (fleet). */
  readonly mode: () => ChokeMode;
  /** Regular unchoke slots (default 4 for tit-for-tat, 8 for cooperative). */
  readonly slots: number;
  /** Default 10 s (BEP 3). */
  readonly intervalMs?: number;
  readonly onChoked: (peer: TorrentPeer) => void;
}

/**
 * Every 10 s applies the choker's decision (policy/choker) to the connections. Between rounds a newly
 * interested peer is unchoked at once while a slot is free, so a fresh leecher does not idle until the
 * next round.
 */
export class ChokeLoop {
  private timer: NodeJS.Timeout | undefined;
  private optimistic: string | undefined;

  constructor(
    private readonly core: TorrentCore,
    private readonly options: ChokeLoopOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.run(), this.options.intervalMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  peerInterested(peer: TorrentPeer): void {
    if (!this.timer || !peer.connection.amChoking) return;
    let unchoked = 0;
    for (const other of this.core.peers.values()) if (!other.connection.amChoking) unchoked++;
    const optimisticSlot = this.options.mode() === 'cooperative' ? 0 : 1;
    if (unchoked < this.options.slots + optimisticSlot) this.unchoke(peer, this.core.clock());
  }

  peerNotInterested(peer: TorrentPeer): void {
    if (!peer.connection.amChoking) this.choke(peer);
  }

  run(): void {
    const now = this.core.clock();
    const peers = [...this.core.peers.values()];
    const decision = decideChokes({
      peers: peers.map((peer) => this.snapshot(peer, now)),
      mode: this.options.mode(),
      slots: this.options.slots,
      now,
      random: this.core.random,
      currentOptimistic: this.optimistic,
    });
    if (decision.optimistic !== undefined && decision.optimistic !== this.optimistic) {
      const chosen = this.core.peers.get(decision.optimistic);
      if (chosen) chosen.lastOptimisticAt = now;
    }
    this.optimistic = decision.optimistic;
    for (const peer of peers) {
      if (decision.unchoke.has(peer.id)) this.unchoke(peer, now);
      else this.choke(peer);
    }
  }

  private unchoke(peer: TorrentPeer, now: number): void {
    if (!peer.connection.amChoking) return;
    peer.lastUnchokedAt = now;
    peer.connection.unchoke();
  }

  private choke(peer: TorrentPeer): void {
    if (peer.connection.amChoking) return;
    peer.connection.choke();
    this.options.onChoked(peer);
  }

  private snapshot(peer: TorrentPeer, now: number): ChokePeer {
    const { connection } = peer;
    return {
      id: peer.id,
      interested: connection.peerInterested,
      amChoking: connection.amChoking,
      downloadRate: connection.downloadRate(now),
      uploadRate: connection.uploadRate(now),
      isSeed: peer.isSeed,
      snubbed: peer.isSnubbed(now),
      connectedAt: peer.connectedAt,
      lastOptimisticAt: peer.lastOptimisticAt,
      lastUnchokedAt: peer.lastUnchokedAt,
      pieces: connection.pieces?.count,
    };
  }
}
