import type { BlockRef } from '@seedfleet/wire';
import type { TorrentCore } from './torrent-core';
import type { TorrentPeer } from './torrent-peer';
import type { LentBlock } from './upload-cache';

/** Store reads in flight per peer: enough to hide a disk read's latency, few enough to bound memory. */
const MAX_READS_PER_PEER = 8;

/** Which of our pieces a peer may have, and what it got (super-seeding offers only some). */
export interface UploadPolicy {
  mayServe(peer: TorrentPeer, index: number): boolean;
  sent(peer: TorrentPeer, block: BlockRef): void;
}

/** Where blocks come from (the UploadCache): each is lent until the socket wrote it. */
export interface BlockSource {
  readBlock(index: number, begin: number, length: number): Promise<LentBlock>;
}

/**
 * Answers the requests the connection accepted (only while we unchoke the peer, within its queue limit):
 * reads each block from the store, then sends it, paced by the upload rate limits and the connection's
 * send buffer (a full buffer waits for onDrain). A failed read rejects the block and reports the error.
 */
export class Uploader {
  private wakeTimer: NodeJS.Timeout | undefined;
  private active = true;

  constructor(
    private readonly core: TorrentCore,
    private readonly source: BlockSource,
    private readonly onReadError: (error: unknown) => void,
    private readonly policy?: UploadPolicy,
  ) {}

  onRequest(peer: TorrentPeer, block: BlockRef): void {
    if (!this.core.have.has(block.index) || !(this.policy?.mayServe(peer, block.index) ?? true)) {
      peer.connection.reject(block);
      return;
    }
    peer.uploadQueue.push(block);
    this.pump(peer);
  }

  onCancel(peer: TorrentPeer, block: BlockRef): void {
    const at = peer.uploadQueue.findIndex((queued) => queued.index === block.index && queued.begin === block.begin);
    if (at >= 0) peer.uploadQueue.splice(at, 1);
  }

  /** We choked the peer: the connection dropped (or rejected) its queue, so ours goes too. */
  onChoked(peer: TorrentPeer): void {
    peer.uploadQueue.length = 0;
  }

  pump(peer: TorrentPeer): void {
    const { connection } = peer;
    const { upGate, clock } = this.core;
    while (this.active && peer.uploadQueue.length > 0 && peer.reading < MAX_READS_PER_PEER && connection.canSendMore && !connection.isClosed) {
      const block = peer.uploadQueue[0];
      const now = clock();
      const wait = upGate.msUntil(block.length, now);
      if (wait > 0) return this.wakeLater(wait);
      upGate.take(block.length, now);
      peer.uploadQueue.shift();
      peer.reading++;
      this.read(block).then(
        (lent) => {
          peer.reading--;
          if (connection.sendPiece(block.index, block.begin, lent.data, lent.release)) {
            this.core.stats.addSent(lent.data.length, clock());
            this.policy?.sent(peer, block);
          } else {
            lent.release();
          }
          this.pump(peer);
        },
        (error: unknown) => {
          peer.reading--;
          connection.reject(block);
          this.onReadError(error);
        },
      );
    }
  }

  /** A block reaching past a v2 piece's real end (see TorrentCore.wireGeometry) gets zeros there. */
  private async read(block: BlockRef): Promise<LentBlock> {
    const real = this.core.geometry.pieceSize(block.index);
    if (block.begin + block.length <= real) return this.source.readBlock(block.index, block.begin, block.length);
    const padded = Buffer.alloc(block.length);
    if (block.begin < real) {
      const lent = await this.source.readBlock(block.index, block.begin, real - block.begin);
      lent.data.copy(padded);
      lent.release();
    }
    return { data: padded, release: () => undefined };
  }

  pumpAll(): void {
    for (const peer of this.core.peers.values()) this.pump(peer);
  }

  stop(): void {
    this.active = false;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
  }

  start(): void {
    this.active = true;
  }

  private wakeLater(ms: number): void {
    if (this.wakeTimer || !Number.isFinite(ms)) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.pumpAll();
    }, Math.max(1, ms));
    this.wakeTimer.unref();
  }
}
