import { Bitfield, type BlockRef } from '@seedfleet/wire';
import { SuperSeed } from './super-seed';
import type { TorrentCore } from './torrent-core';
import type { TorrentPeer } from './torrent-peer';
import type { UploadPolicy } from './uploader';

/**
 * Super-seeding (BEP 16) in a torrent: peers greeted while we hold every piece see an empty bitfield
 * (have-none), then one piece at a time by HAVE and, with the fast extension, allowed-fast (SuperSeed
 * decides which and when), and may request only those. Peers greeted before we were complete keep the ordinary rules.
 */
export class SuperSeeding implements UploadPolicy {
  private readonly state: SuperSeed;
  private readonly hidden: Bitfield;

  constructor(
    private readonly core: TorrentCore,
    passOnTimeoutMs?: number,
  ) {
    this.state = new SuperSeed(core.metainfo.pieceCount, passOnTimeoutMs);
    this.hidden = new Bitfield(core.metainfo.pieceCount);
  }

  /** What to greet the peer with: nothing while super-seeding, else our pieces. */
  greeting(peer: TorrentPeer): Bitfield {
    if (!this.core.have.isFull) return this.core.have;
    this.state.join(peer.id, this.core.clock());
    return this.hidden;
  }

  mayServe(peer: TorrentPeer, index: number): boolean {
    return this.state.mayServe(peer.id, index);
  }

  /** All of an offered piece went out: the peer has it, whether or not it says so. */
  sent(peer: TorrentPeer, block: BlockRef): void {
    this.state.blockSent(peer.id, block.index, block.begin, block.length, this.core.wireGeometry.pieceSize(block.index), this.core.clock());
    this.offer(peer);
  }

  /** The peer announced its pieces (bitfield or HAVE): offer it what it may take now. */
  announced(peer: TorrentPeer): void {
    this.offer(peer);
  }

  /** A HAVE from the peer: its offer downloaded, or another peer's offer passed on (that peer gets its next). */
  peerHave(peer: TorrentPeer, index: number): void {
    this.state.peerHas(peer.id, index, this.core.clock());
    this.offerAll();
  }

  left(peer: TorrentPeer): void {
    this.state.leave(peer.id);
    // Its pieces left with it: whoever waited for it to pass them on may get others.
    this.offerAll();
  }

  /** Timeouts: offers not passed on in time, peers that announced nothing. */
  tick(): void {
    this.offerAll();
  }

  private offerAll(): void {
    for (const peer of this.core.peers.values()) this.offer(peer);
  }

  private offer(peer: TorrentPeer): void {
    if (!this.state.isSuperSeeded(peer.id) || peer.connection.isClosed) return;
    const pieces = peer.connection.pieces;
    const others = [...this.core.peers.values()].filter((other) => other !== peer);
    const offers = this.state.offersFor(
      peer.id,
      {
        pieceCount: this.core.metainfo.pieceCount,
        peerHas: (index) => pieces?.has(index) ?? false,
        availability: (index) => this.core.picker.availability(index),
        othersLacking: (index) => others.filter((other) => !(other.connection.pieces?.has(index) ?? false)).length,
      },
      this.core.clock(),
    );
    for (const index of offers) {
      peer.connection.have(index);
      // BEP 6: it may fetch the offer while choked. Offers already ration what each peer gets from us;
      // waiting for the choker's next round would stall a peer whose offer no one else may take meanwhile.
      if (peer.connection.fastExtension) peer.connection.allowFast(index);
    }
  }
}
