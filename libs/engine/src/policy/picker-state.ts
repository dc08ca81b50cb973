import { Availability } from './availability';
import { type BlockRef, PartialPiece, type PeerId } from './block-state';
import type { PeerBits } from './peer-bits';
import type { Random } from './random';
import { RarityIndex } from './rarity-index';

/** Piece states; see STATE.md. Stored as bytes because a torrent may have 100k+ pieces. */
export const NOT_WANTED = 0;
export const QUEUED = 1;
export const IN_FLIGHT = 2;
export const VERIFYING = 3;
export const HAVE = 4;

export const MAX_PRIORITY = 7;
/** Blocks per piece are below this, so (piece, block) packs into one number for per-peer request sets. */
export const MAX_BLOCKS_PER_PIECE = 65536;

export function blockKey(piece: number, block: number): number {
  return piece * MAX_BLOCKS_PER_PIECE + block;
}

export function blockOfKey(key: number): BlockRef {
  return { piece: Math.floor(key / MAX_BLOCKS_PER_PIECE), block: key % MAX_BLOCKS_PER_PIECE };
}

export interface PeerRecord {
  /** Undefined for a seed (have-all), which is counted once in Availability rather than per piece. */
  readonly bits: PeerBits | undefined;
  /** The blocks this peer has been asked for and not yet delivered, as block keys. */
  readonly requests: Set<number>;
}

/** A request the engine must cancel on the wire. */
export interface Cancellation extends BlockRef {
  readonly peer: PeerId;
}

/**
 * The piece picker's data and the moves that keep its parts consistent with each other: a queued piece is
 * in the rarity index of its priority, an in-flight or verifying piece has a PartialPiece, an in-flight
 * piece with a free block is in `withFree`, and every requested block is in its requesters' request sets.
 */
export class PickerState {
  readonly states: Uint8Array;
  readonly priorities: Uint8Array;
  readonly availability: Availability;
  /** One rarity index per priority level (index 0 unused: priority 0 pieces are not wanted). */
  readonly indexes: Array<RarityIndex | undefined> = new Array(MAX_PRIORITY + 1).fill(undefined);
  readonly partials = new Map<number, PartialPiece>();
  /** In-flight pieces with at least one free block, oldest first: picking finishes them before others. */
  readonly withFree = new Set<number>();
  readonly peers = new Map<PeerId, PeerRecord>();
  haveCount = 0;

  constructor(
    readonly blockCounts: Uint32Array,
    readonly random: Random,
    defaultPriority: number,
  ) {
    this.states = new Uint8Array(blockCounts.length);
    this.priorities = new Uint8Array(blockCounts.length).fill(defaultPriority);
    this.availability = new Availability(blockCounts.length);
    if (defaultPriority > 0) {
      for (let piece = 0; piece < blockCounts.length; piece++) this.enqueue(piece);
    }
  }

  get pieceCount(): number {
    return this.blockCounts.length;
  }

  queuedCount(): number {
    let total = 0;
    for (const index of this.indexes) total += index?.size ?? 0;
    return total;
  }

  /** No wanted piece is left untouched: peers with nothing free to fetch may duplicate requests. */
  get inEndgame(): boolean {
    return this.queuedCount() === 0 && this.partials.size > 0;
  }

  indexFor(priority: number): RarityIndex {
    let index = this.indexes[priority];
    if (index === undefined) {
      index = new RarityIndex(this.pieceCount);
      this.indexes[priority] = index;
    }
    return index;
  }

  enqueue(piece: number): void {
    this.states[piece] = QUEUED;
    this.indexFor(this.priorities[piece]).insert(piece, this.availability.partial(piece), this.random);
  }

  dequeue(piece: number): void {
    this.indexFor(this.priorities[piece]).remove(piece, this.availability.partial(piece));
  }

  start(piece: number): PartialPiece {
    this.dequeue(piece);
    this.states[piece] = IN_FLIGHT;
    const partial = new PartialPiece(piece, this.blockCounts[piece]);
    this.partials.set(piece, partial);
    this.withFree.add(piece);
    return partial;
  }

  /** Asks `peer` for up to `count - out.length` free blocks of `partial`, appending them to `out`. */
  requestFree(partial: PartialPiece, peer: PeerId, count: number, out: BlockRef[]): void {
    const requests = this.peers.get(peer)!.requests;
    for (let block = partial.nextFree(); block >= 0 && out.length < count; block = partial.nextFree(block + 1)) {
      partial.request(block, peer);
      requests.add(blockKey(partial.piece, block));
      out.push({ piece: partial.piece, block });
    }
    if (partial.free === 0) this.withFree.delete(partial.piece);
  }

  /** Ends `peer`'s request for a block; a piece left with nothing requested or received is queued again. */
  release(peer: PeerId, piece: number, block: number): boolean {
    const record = this.peers.get(peer);
    if (record === undefined || !record.requests.delete(blockKey(piece, block))) return false;
    const partial = this.partials.get(piece)!;
    partial.release(block, peer);
    // An owner that gave up a block (timeout, reject, choke) no longer holds the piece for itself.
    if (partial.owner === peer) partial.owner = undefined;
    if (partial.free === partial.blockCount) {
      this.partials.delete(piece);
      this.withFree.delete(piece);
      this.enqueue(piece);
    } else if (partial.free > 0) {
      this.withFree.add(piece);
    }
    return true;
  }

  /** Forgets an in-flight piece entirely (it became unwanted); returns the requests to cancel. */
  abandon(piece: number): Cancellation[] {
    const partial = this.partials.get(piece)!;
    const cancellations: Cancellation[] = [];
    for (let block = 0; block < partial.blockCount; block++) {
      for (const peer of partial.requestersOf(block)) {
        this.peers.get(peer)!.requests.delete(blockKey(piece, block));
        cancellations.push({ peer, piece, block });
      }
    }
    this.partials.delete(piece);
    this.withFree.delete(piece);
    this.states[piece] = NOT_WANTED;
    return cancellations;
  }

  incrementAvailability(piece: number): void {
    const before = this.availability.increment(piece);
    if (this.states[piece] === QUEUED) this.indexFor(this.priorities[piece]).increment(piece, before);
  }

  decrementAvailability(piece: number): void {
    const before = this.availability.decrement(piece);
    if (this.states[piece] === QUEUED) this.indexFor(this.priorities[piece]).decrement(piece, before);
  }
}
