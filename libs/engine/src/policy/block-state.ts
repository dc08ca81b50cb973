/** The engine's identifier for a peer connection (any string unique among live connections). */
export type PeerId = string;

/** One block of one piece. */
export interface BlockRef {
  readonly piece: number;
  readonly block: number;
}

export type BlockStatus = 'free' | 'requested' | 'received';

const FREE = 0;
const REQUESTED = 1;
const RECEIVED = 2;
const STATUS_NAMES: readonly BlockStatus[] = ['free', 'requested', 'received'];

/**
 * The blocks of one piece being downloaded. Each block is in exactly one state: free, requested (from one
 * peer, or from a few in endgame) or received (from one peer, remembered to blame it if the hash fails).
 */
export class PartialPiece {
  private readonly status: Uint8Array;
  private readonly requesters: Array<PeerId[] | undefined>;
  private readonly senders: Array<PeerId | undefined>;
  private freeBlocks: number;
  private receivedBlocks = 0;
  /**
   * A peer on probation this piece is reserved for: others leave its free blocks alone (endgame aside), so
   * if the piece fails, that peer alone sent it. Cleared when the peer drops a request of it or leaves.
   */
  owner: PeerId | undefined;
  /** No block before this one is free, so picking does not rescan the front of a piece. */
  private firstMaybeFree = 0;

  constructor(
    readonly piece: number,
    readonly blockCount: number,
  ) {
    this.status = new Uint8Array(blockCount);
    this.requesters = new Array(blockCount).fill(undefined);
    this.senders = new Array(blockCount).fill(undefined);
    this.freeBlocks = blockCount;
  }

  get free(): number {
    return this.freeBlocks;
  }

  get received(): number {
    return this.receivedBlocks;
  }

  get requested(): number {
    return this.blockCount - this.freeBlocks - this.receivedBlocks;
  }

  get isComplete(): boolean {
    return this.receivedBlocks === this.blockCount;
  }

  statusOf(block: number): BlockStatus {
    return STATUS_NAMES[this.status[block]];
  }

  requestersOf(block: number): readonly PeerId[] {
    return this.requesters[block] ?? [];
  }

  senderOf(block: number): PeerId | undefined {
    return this.senders[block];
  }

  /** The lowest free block at or after `from`, or -1. */
  nextFree(from = 0): number {
    for (let block = Math.max(from, this.firstMaybeFree); block < this.blockCount; block++) {
      if (this.status[block] === FREE) {
        if (from <= this.firstMaybeFree) this.firstMaybeFree = block;
        return block;
      }
    }
    if (from <= this.firstMaybeFree) this.firstMaybeFree = this.blockCount;
    return -1;
  }

  /** Marks a free or requested block requested by `peer` too (a second requester only in endgame). */
  request(block: number, peer: PeerId): void {
    const requesters = this.requesters[block];
    if (requesters === undefined) {
      this.requesters[block] = [peer];
      this.status[block] = REQUESTED;
      this.freeBlocks--;
    } else {
      requesters.push(peer);
    }
  }

  /** Drops `peer`'s request for `block`; the block is free again when nobody else requested it. */
  release(block: number, peer: PeerId): void {
    const requesters = this.requesters[block];
    if (requesters === undefined) return;
    const at = requesters.indexOf(peer);
    if (at < 0) return;
    requesters.splice(at, 1);
    if (requesters.length > 0) return;
    this.requesters[block] = undefined;
    this.status[block] = FREE;
    this.freeBlocks++;
    if (block < this.firstMaybeFree) this.firstMaybeFree = block;
  }

  /** Marks `block` received from `peer`; returns everyone who had requested it (so their requests end). */
  receive(block: number, peer: PeerId): PeerId[] {
    const requesters = this.requesters[block] ?? [];
    if (this.status[block] === FREE) this.freeBlocks--;
    this.requesters[block] = undefined;
    this.status[block] = RECEIVED;
    this.senders[block] = peer;
    this.receivedBlocks++;
    return requesters;
  }

  /** The distinct peers that sent blocks of this piece. */
  distinctSenders(): PeerId[] {
    return [...new Set(this.senders.filter((sender): sender is PeerId => sender !== undefined))];
  }
}
