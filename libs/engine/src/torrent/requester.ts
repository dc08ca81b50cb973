import type { BlockRef as WireBlock } from '@seedfleet/wire';
import { BLOCK_SIZE, type BlockRef as PickerBlock, requestQueueDepth, requestTimeoutMs } from '../policy';
import { blockNumber, toWireBlock } from './blocks';
import type { TorrentCore } from './torrent-core';
import type { TorrentPeer } from './torrent-peer';

/** Most suggested pieces remembered per peer. */
const MAX_SUGGESTED = 16;

/**
 * Keeps each unchoking peer's pipeline full from the picker: depth from the peer's measured rate
 * (requestQueueDepth), one request for a snubbed peer, download rate limits applied per block before
 * requesting, request timeouts, endgame cancels, and interest (interested when a peer has something we
 * want, not interested when it no longer does).
 */
export class Requester {
  private wakeTimer: NodeJS.Timeout | undefined;
  private active = true;
  /** Peers to top up once the socket reads of this loop turn are handled (see refillSoon). */
  private readonly toRefill = new Set<TorrentPeer>();
  private refillScheduled = false;

  constructor(
    private readonly core: TorrentCore,
    private readonly onPieceComplete: (index: number) => void,
    /** Peers (id hex) without trust yet get whole pieces of their own, so a bad piece names its one sender. */
    private readonly onProbation: (peerIdHex: string) => boolean = () => false,
  ) {}

  /** The peer's pieces are known: it joins the picker. */
  peerAnnounced(peer: TorrentPeer): void {
    const pieces = peer.connection.pieces;
    if (peer.inPicker || !pieces) return;
    this.core.picker.addPeer(peer.id, pieces.isFull ? 'all' : pieces);
    peer.inPicker = true;
    this.resizeAssembly();
    this.updateInterest(peer);
  }

  peerHave(peer: TorrentPeer, index: number): void {
    if (!peer.inPicker) return;
    this.core.picker.peerHave(peer.id, index);
    if (!peer.connection.amInterested && this.core.picker.wants(index)) peer.connection.interested();
    this.fill(peer);
  }

  suggest(peer: TorrentPeer, index: number): void {
    if (peer.suggested.includes(index)) return;
    peer.suggested.push(index);
    if (peer.suggested.length > MAX_SUGGESTED) peer.suggested.shift();
  }

  updateInterest(peer: TorrentPeer): void {
    if (!peer.inPicker) return;
    const interesting = this.active && this.core.picker.isInteresting(peer.id);
    if (interesting) peer.connection.interested();
    else peer.connection.notInterested();
    this.fill(peer);
  }

  /** Tops up one peer's pipeline. */
  fill(peer: TorrentPeer): void {
    const { connection } = peer;
    if (!this.active || !peer.inPicker || connection.isClosed || !connection.amInterested) return;
    const choked = connection.peerChoking;
    const allowedFast = connection.allowedFastFromPeer;
    if (choked && allowedFast.size === 0) return;
    const { picker, downGate, clock } = this.core;
    const now = clock();
    const snubbed = peer.isSnubbed(now);
    const depth = requestQueueDepth({ downloadRate: connection.downloadRate(now), peerMaxRequests: connection.extensions?.reqq, snubbed });
    const wanted = depth - peer.outstanding.size;
    if (wanted <= 0) return;
    const allowed = downGate.allowed(wanted, BLOCK_SIZE, now);
    if (allowed === 0) return this.wakeLater(downGate.msUntil(BLOCK_SIZE, now));
    const picked = picker.pick(peer.id, allowed, choked ? { restrictTo: [...allowedFast] } : { suggested: peer.suggested, wholePieces: this.onProbation(peer.peerIdHex) });
    if (picked.length === 0) {
      if (peer.outstanding.size === 0 && !choked && !picker.isInteresting(peer.id)) connection.notInterested();
      return;
    }
    let bytes = 0;
    for (const block of picked) {
      const wire = toWireBlock(this.core.geometry, block);
      if (connection.request(wire)) {
        peer.addOutstanding(wire, now);
        bytes += wire.length;
      } else {
        picker.release(peer.id, block.piece, block.block);
      }
    }
    downGate.take(bytes, now);
  }

  fillAll(): void {
    for (const peer of this.core.peers.values()) this.fill(peer);
  }

  /** A block arrived (requested or late). */
  onPiece(peer: TorrentPeer, index: number, begin: number, data: Buffer): void {
    const { picker, clock, stats } = this.core;
    const now = clock();
    peer.removeOutstanding(index, begin);
    peer.lastProgressAt = now;
    peer.timedOut = false;
    stats.addReceived(data.length, now);
    const block = blockNumber(this.core.geometry, index, begin, data.length);
    if (!peer.inPicker || block < 0) return;
    const result = picker.blockReceived(peer.id, index, block);
    if (result.outcome === 'accepted') {
      this.core.assembler.write(index, block, begin, data, peer.peerIdHex);
      for (const other of result.cancel) this.cancelAt(other, { piece: index, block });
      if (result.pieceComplete) this.onPieceComplete(index);
    }
    this.refillSoon(peer);
  }

  /**
   * Tops the peer up after the current loop turn: a socket read carries several blocks, and one pick
   * for all of them costs a fraction of one per block (and sends the requests in one write).
   */
  private refillSoon(peer: TorrentPeer): void {
    this.toRefill.add(peer);
    if (this.refillScheduled) return;
    this.refillScheduled = true;
    setImmediate(() => {
      this.refillScheduled = false;
      const peers = [...this.toRefill];
      this.toRefill.clear();
      for (const waiting of peers) this.fill(waiting);
    });
  }

  onReject(peer: TorrentPeer, block: WireBlock): void {
    if (peer.removeOutstanding(block.index, block.begin)) this.release(peer, [block]);
  }

  /** The peer choked us; without the fast extension it dropped these requests. */
  onChoke(peer: TorrentPeer, dropped: readonly WireBlock[]): void {
    const gone = dropped.filter((block) => peer.removeOutstanding(block.index, block.begin));
    this.release(peer, gone);
  }

  peerGone(peer: TorrentPeer): void {
    peer.outstanding.clear();
    if (!peer.inPicker) return;
    peer.inPicker = false;
    const released = this.core.picker.removePeer(peer.id);
    this.dropIdleBuffers(released.map((block) => block.piece));
    this.resizeAssembly();
  }

  /** More peers to download from, more pieces in flight at once (TorrentCore.partialLimit). */
  private resizeAssembly(): void {
    const { picker, partialLimit } = this.core;
    picker.setMaxPartialPieces(partialLimit(picker.peerCount));
  }

  /** Gives timed-out requests to others (the block is still taken if it comes late). */
  checkTimeouts(): void {
    const now = this.core.clock();
    for (const peer of this.core.peers.values()) {
      const rate = peer.connection.downloadRate(now);
      const timeout = requestTimeoutMs({ downloadRate: rate, queuedBytes: peer.outstanding.size * BLOCK_SIZE });
      const expired: WireBlock[] = [];
      for (const request of peer.outstanding.values()) {
        if (now - request.sentAt < timeout) break;
        expired.push(request.block);
      }
      if (expired.length > 0) peer.timedOut = true;
      for (const block of expired) {
        peer.removeOutstanding(block.index, block.begin);
        peer.connection.cancel(block);
      }
      this.release(peer, expired);
    }
  }

  /** Stops requesting (pause, stop, seeding): the wake timer goes. */
  stop(): void {
    this.active = false;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  start(): void {
    this.active = true;
  }

  /** A piece left in-flight with no block requested or received went back to queued: its buffer goes. */
  dropIdleBuffers(pieces: Iterable<number>): void {
    for (const piece of new Set(pieces)) {
      if (this.core.picker.pieceState(piece) === 'queued') this.core.assembler.drop(piece);
    }
  }

  private release(peer: TorrentPeer, blocks: readonly WireBlock[]): void {
    if (!peer.inPicker) return;
    for (const block of blocks) this.core.picker.release(peer.id, block.index, block.begin / BLOCK_SIZE);
    this.dropIdleBuffers(blocks.map((block) => block.index));
  }

  /** Another source delivered this block first (endgame): the peers asked for it get a cancel. */
  cancelAt(peerId: string, block: PickerBlock): void {
    const other = this.core.peers.get(peerId);
    if (!other) return;
    const wire = toWireBlock(this.core.geometry, block);
    other.removeOutstanding(wire.index, wire.begin);
    other.connection.cancel(wire);
  }

  private wakeLater(ms: number): void {
    if (this.wakeTimer || !Number.isFinite(ms)) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.fillAll();
    }, Math.max(1, ms));
    this.wakeTimer.unref();
  }
}
