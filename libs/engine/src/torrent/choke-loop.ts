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
    if (peer.connection.amChoking) return;
    this.choke(peer);
    this.fillFreeSlots();
  }

  /** An unchoked peer left: its slot goes to the next one waiting now, not at the next round. */
  peerLeft(): void {
    this.fillFreeSlots();
  }

  run(): void {
    const now = this.core.clock();
    const peers = [...this.core.peers.values()];
    const decision = this.decide(peers, now);
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

  /**
   * A slot fell free between rounds (its peer lost interest or left): the choker's next choices get it at
   * once, without choking anyone, so upload capacity does not idle for up to a round (10 s). Measured on
   * shaped swarms: fleet agents lose interest in each other often, each time a slot stood empty.
   */
  private fillFreeSlots(): void {
    if (!this.timer) return;
    const now = this.core.clock();
    const peers = [...this.core.peers.values()];
    const capacity = this.options.slots + (this.options.mode() === 'cooperative' ? 0 : 1);
    let unchoked = peers.filter((peer) => !peer.connection.amChoking).length;
    if (unchoked >= capacity) return;
    const { unchoke } = this.decide(peers, now);
    for (const peer of peers) {
      if (unchoked >= capacity) return;
      if (!unchoke.has(peer.id) || !peer.connection.amChoking) continue;
      this.unchoke(peer, now);
      unchoked++;
    }
  }

  private decide(peers: readonly TorrentPeer[], now: number): ReturnType<typeof decideChokes> {
    return decideChokes({
      peers: peers.map((peer) => this.snapshot(peer, now)),
      mode: this.options.mode(),
      slots: this.options.slots,
      now,
      random: this.core.random,
      currentOptimistic: this.optimistic,
    });
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
