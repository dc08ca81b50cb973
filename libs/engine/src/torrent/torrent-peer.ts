import type { BlockRef } from '@seedfleet/wire';
import { blockKey } from '../peer/block-key';
import type { PeerConnection } from '../peer/peer-connection';
import { clientFromPeerId } from '../peer/peer-id';
import { isSnubbed } from '../policy';

/** A request we sent and when, for request timeouts. */
export interface SentRequest {
  readonly block: BlockRef;
  readonly sentAt: number;
}

/**
 * What the torrent keeps about one connected peer beyond the connection's protocol state: its requests
 * as the requester sees them, progress times for snubbing, choke history for the choker, and the upload
 * queue. The `id` is the picker's and the choker's name for it.
 */
export class TorrentPeer {
  readonly address: string;
  readonly client: string | undefined;
  /** The peer id it sent, in hex: who to blame and ban across reconnections. */
  readonly peerIdHex: string;
  /** Our requests in flight, by block key (peer/block-key), in the order sent. */
  readonly outstanding = new Map<number, SentRequest>();
  /** Requests from the peer waiting for a read. */
  readonly uploadQueue: BlockRef[] = [];
  /** Reads from the store in flight for this peer. */
  reading = 0;
  /** In the picker: its pieces are known. */
  inPicker = false;
  lastProgressAt: number;
  /** Requests timed out since its last block: snubbed until it delivers again. */
  timedOut = false;
  lastUnchokedAt: number | undefined;
  lastOptimisticAt: number | undefined;
  /** Pieces the peer suggested (BEP 6), most recent last, bounded. */
  readonly suggested: number[] = [];

  constructor(
    readonly id: string,
    readonly connection: PeerConnection,
    readonly connectedAt: number,
    readonly outgoing: boolean,
  ) {
    this.address = `${connection.remoteAddress}:${connection.remotePort}`;
    this.client = clientFromPeerId(connection.peerId);
    this.peerIdHex = connection.peerId.toString('hex');
    this.lastProgressAt = connectedAt;
  }

  addOutstanding(block: BlockRef, now: number): void {
    if (this.outstanding.size === 0) this.lastProgressAt = now;
    this.outstanding.set(blockKey(block.index, block.begin), { block, sentAt: now });
  }

  removeOutstanding(index: number, begin: number): boolean {
    return this.outstanding.delete(blockKey(index, begin));
  }

  /** Snubbing us (policy/snub): a minute without a block while asked, or requests timed out since its last block. */
  isSnubbed(now: number): boolean {
    return this.timedOut || isSnubbed({ outstandingRequests: this.outstanding.size, lastProgressAt: this.lastProgressAt }, now);
  }

  get isSeed(): boolean {
    return this.connection.pieces?.isFull ?? false;
  }
}
