import { type BlockRef, type BlockStatus, type PeerId } from './block-state';
import { PolicyError, checkInteger } from './errors';
import { PeerBits } from './peer-bits';
import {
  type Cancellation,
  HAVE,
  IN_FLIGHT,
  MAX_BLOCKS_PER_PIECE,
  MAX_PRIORITY,
  NOT_WANTED,
  type PeerRecord,
  PickerState,
  QUEUED,
  VERIFYING,
  blockKey,
  blockOfKey,
} from './picker-state';
import { pickBlocks } from './pick-blocks';
import { pickerViolation } from './picker-invariants';
import type { PeerPieces } from './piece-set';
import type { Random } from './random';

export type PieceState = 'not-wanted' | 'queued' | 'in-flight' | 'verifying' | 'have';
const STATE_NAMES: readonly PieceState[] = ['not-wanted', 'queued', 'in-flight', 'verifying', 'have'];

/** libtorrent's default piece priority; 0 means skip, 7 is the most urgent. */
export const DEFAULT_PRIORITY = 4;

export interface PiecePickerOptions {
  readonly random: Random;
  /**
   * Pieces in flight or being verified at once (default 512). Each holds a piece-sized buffer in the
   * engine, so this bounds memory: size it from a byte budget divided by the piece length.
   */
  readonly maxPartialPieces?: number;
  /** Until this many pieces are had, new pieces are picked at random, not rarest first (default 0). */
  readonly randomFirstPieces?: number;
  /** In endgame, the most peers one block is requested from at once (default 2). */
  readonly endgameMaxRequesters?: number;
  /** Priority every piece starts with (default 4). */
  readonly defaultPriority?: number;
}

export { PROBATION_PIECES } from './pick-blocks';

export interface PickOptions {
  /** Pick only from these pieces: the peer's allowed-fast set while it chokes us (BEP 6). */
  readonly restrictTo?: readonly number[];
  /**
   * Pieces the peer suggested (BEP 6): started before rarer ones, since the peer has them cached. Ignored
   * with `restrictTo`.
   */
  readonly suggested?: readonly number[];
  /**
   * The peer is on probation (none of its pieces passed yet, or it sent bad data): it finishes pieces
   * reserved for it and starts new ones of its own rather than joining others', so a failed piece has one
   * sender to blame. It joins others' pieces only when it could get nothing else. Ignored with `restrictTo`.
   */
  readonly wholePieces?: boolean;
}

export interface ReceiveResult {
  /** 'duplicate': we already had the block (wasted bytes); 'unwanted': not a block we are fetching. */
  readonly outcome: 'accepted' | 'duplicate' | 'unwanted';
  /** Other peers that were asked for this block (endgame): send them a cancel. */
  readonly cancel: readonly PeerId[];
  /** Every block of the piece is in: hash it, then call pieceVerified or pieceFailed. */
  readonly pieceComplete: boolean;
}

const REJECTED: ReceiveResult = { outcome: 'unwanted', cancel: [], pieceComplete: false };
const NO_PIECES: ReadonlySet<number> = new Set();
const DUPLICATE: ReceiveResult = { outcome: 'duplicate', cancel: [], pieceComplete: false };

/**
 * Decides which blocks to request from which peer: blocks of pieces already in flight first (to finish
 * them and keep memory bounded), then suggested pieces, then new pieces rarest first with a random
 * tie-break, then endgame duplicates. It tracks availability, our pieces, priorities and every block's
 * state; STATE.md lists the states and the calls that move between them.
 */
export class PiecePicker {
  private readonly state: PickerState;
  private maxPartialPieces: number;
  private readonly randomFirstPieces: number;
  private readonly endgameMaxRequesters: number;

  /** `blockCounts[i]` is how many blocks piece i has (see uniformBlockCounts, blockCountsOf). */
  constructor(blockCounts: ArrayLike<number>, options: PiecePickerOptions) {
    Array.from(blockCounts).forEach((count, piece) => {
      checkInteger(`block count of piece ${piece}`, count, 1, MAX_BLOCKS_PER_PIECE - 1);
    });
    const counts = Uint32Array.from(blockCounts);
    this.maxPartialPieces = options.maxPartialPieces ?? 512;
    this.randomFirstPieces = options.randomFirstPieces ?? 0;
    this.endgameMaxRequesters = options.endgameMaxRequesters ?? 2;
    const defaultPriority = options.defaultPriority ?? DEFAULT_PRIORITY;
    checkInteger('maxPartialPieces', this.maxPartialPieces, 1, Number.MAX_SAFE_INTEGER);
    checkInteger('randomFirstPieces', this.randomFirstPieces, 0, Number.MAX_SAFE_INTEGER);
    checkInteger('endgameMaxRequesters', this.endgameMaxRequesters, 1, 1000);
    checkInteger('defaultPriority', defaultPriority, 0, MAX_PRIORITY);
    this.state = new PickerState(counts, options.random, defaultPriority);
  }

  // ---- peers and availability ----

  /** A peer announced its pieces (bitfield, have-all, have-none, or nothing yet: 'none'). */
  addPeer(peer: PeerId, pieces: PeerPieces): void {
    if (this.state.peers.has(peer)) throw new PolicyError('duplicate-peer', `peer ${peer} was already added`);
    if (pieces === 'all') {
      this.state.availability.addSeed();
      this.state.peers.set(peer, { bits: undefined, requests: new Set() });
      return;
    }
    const bits = new PeerBits(this.pieceCount);
    this.state.peers.set(peer, { bits, requests: new Set() });
    if (pieces === 'none') return;
    for (let piece = 0; piece < this.pieceCount; piece++) {
      if (pieces.has(piece) && bits.set(piece)) this.state.incrementAvailability(piece);
    }
  }

  /** A peer sent `have`. Repeats are ignored. */
  peerHave(peer: PeerId, piece: number): void {
    const record = this.record(peer);
    this.checkPiece(piece);
    if (record.bits?.set(piece)) this.state.incrementAvailability(piece);
  }

  /** A peer disconnected: its pieces no longer count and its requests are free again (returned). */
  removePeer(peer: PeerId): BlockRef[] {
    const released = this.releasePeer(peer);
    const bits = this.record(peer).bits;
    if (bits === undefined) {
      this.state.availability.removeSeed();
    } else {
      for (let piece = 0; piece < this.pieceCount; piece++) {
        if (bits.has(piece)) this.state.decrementAvailability(piece);
      }
    }
    this.state.peers.delete(peer);
    return released;
  }

  /** Whether `peer` has a piece we still want (BEP 3 `interested`). O(pieces) for a non-seed. */
  isInteresting(peer: PeerId): boolean {
    const bits = this.record(peer).bits;
    for (let piece = 0; piece < this.pieceCount; piece++) {
      if (this.wants(piece) && (bits === undefined || bits.has(piece))) return true;
    }
    return false;
  }

  // ---- our pieces and priorities ----

  /** We have `piece` already (resume data, recheck). Only a piece not being downloaded can be set. */
  setHave(piece: number): void {
    this.checkPiece(piece);
    const current = this.state.states[piece];
    if (current === HAVE) return;
    if (current !== QUEUED && current !== NOT_WANTED) {
      throw new PolicyError('bad-state', `piece ${piece} is ${STATE_NAMES[current]}; only an idle piece can be marked had`);
    }
    if (current === QUEUED) this.state.dequeue(piece);
    this.state.states[piece] = HAVE;
    this.state.haveCount++;
  }

  /**
   * Sets a piece's priority (0 = skip, 1-7, higher first). An in-flight piece set to 0 is dropped with its
   * received blocks; the requests to cancel are returned.
   */
  setPriority(piece: number, priority: number): Cancellation[] {
    this.checkPiece(piece);
    checkInteger('priority', priority, 0, MAX_PRIORITY);
    const state = this.state;
    const current = state.states[piece];
    if (state.priorities[piece] === priority) return [];
    if (current === QUEUED) state.dequeue(piece);
    state.priorities[piece] = priority;
    if (current === QUEUED || current === NOT_WANTED) {
      if (priority > 0) state.enqueue(piece);
      else state.states[piece] = NOT_WANTED;
    }
    return current === IN_FLIGHT && priority === 0 ? state.abandon(piece) : [];
  }

  // ---- picking ----

  /** Chooses up to `count` blocks to request from `peer` and marks them requested by it (see pick-blocks.ts for the order). */
  pick(peer: PeerId, count: number, options: PickOptions = {}): BlockRef[] {
    const record = this.record(peer);
    checkInteger('count', count, 0, Number.MAX_SAFE_INTEGER);
    if (count === 0) return [];
    const restrictTo = options.restrictTo === undefined ? undefined : this.validPieces(options.restrictTo);
    return pickBlocks(this.state, {
      peer,
      record,
      count,
      restrictTo,
      suggested: restrictTo === undefined ? this.validPieces(options.suggested ?? []) : NO_PIECES,
      wholePieces: options.wholePieces === true,
      maxPartialPieces: this.maxPartialPieces,
      randomly: this.state.haveCount < this.randomFirstPieces,
      endgameMaxRequesters: this.endgameMaxRequesters,
    });
  }

  /**
   * Reserves a whole queued piece for a source that sends whole pieces (a web seed, added with
   * `addPeer(source, 'none')` so it counts for no availability): every block is requested from it, so
   * peers are not asked for them (endgame duplicates aside). It delivers with `blockReceived` and gives
   * back with `release` like a peer. False when the piece is not queued or no piece may start now.
   */
  claim(source: PeerId, piece: number): boolean {
    this.record(source);
    this.checkPiece(piece);
    if (this.state.states[piece] !== QUEUED || !this.canStart()) return false;
    this.state.requestFree(this.state.start(piece), source, Number.MAX_SAFE_INTEGER, []);
    return true;
  }

  /**
   * Changes how many pieces may be in flight or verifying at once (the assembly memory). Pieces already
   * started above a lowered limit finish; only new starts wait.
   */
  setMaxPartialPieces(limit: number): void {
    checkInteger('maxPartialPieces', limit, 1, Number.MAX_SAFE_INTEGER);
    this.maxPartialPieces = limit;
  }

  /** Peers and whole-piece sources (web seeds) known to the picker. */
  get peerCount(): number {
    return this.state.peers.size;
  }

  /** How many more pieces may start before `maxPartialPieces` is reached. */
  get startRoom(): number {
    return Math.max(0, this.maxPartialPieces - this.state.partials.size);
  }

  // ---- block events ----

  /** A block arrived from `peer`. Blocks arriving after a timeout or reject are still accepted. */
  blockReceived(peer: PeerId, piece: number, block: number): ReceiveResult {
    this.record(peer);
    if (!this.isBlock(piece, block)) return REJECTED;
    const current = this.state.states[piece];
    if (current === HAVE || current === VERIFYING) return DUPLICATE;
    if (current !== IN_FLIGHT) return REJECTED;
    const partial = this.state.partials.get(piece)!;
    if (partial.statusOf(block) === 'received') return DUPLICATE;
    const requesters = partial.receive(block, peer);
    const key = blockKey(piece, block);
    for (const requester of requesters) this.state.peers.get(requester)!.requests.delete(key);
    if (partial.free === 0) this.state.withFree.delete(piece);
    const pieceComplete = partial.isComplete;
    if (pieceComplete) this.state.states[piece] = VERIFYING;
    return { outcome: 'accepted', cancel: requesters.filter((requester) => requester !== peer), pieceComplete };
  }

  /**
   * `peer` will not deliver this block (reject, request timeout, or we cancelled it): the block is free
   * again unless another peer was also asked. Returns false if the peer had no such request.
   */
  release(peer: PeerId, piece: number, block: number): boolean {
    this.record(peer);
    return this.isBlock(piece, block) && this.state.release(peer, piece, block);
  }

  /** Releases every request of `peer` (it choked us without the fast extension); returns them. */
  releasePeer(peer: PeerId): BlockRef[] {
    const released = [...this.record(peer).requests].map(blockOfKey);
    for (const { piece, block } of released) this.state.release(peer, piece, block);
    for (const partial of this.state.partials.values()) if (partial.owner === peer) partial.owner = undefined;
    return released;
  }

  /** The piece passed its hash check. */
  pieceVerified(piece: number): void {
    this.expectVerifying(piece);
    this.state.partials.delete(piece);
    this.state.states[piece] = HAVE;
    this.state.haveCount++;
  }

  /** The piece failed its hash check: all its blocks are free again. Returns who sent them, for blame. */
  pieceFailed(piece: number): PeerId[] {
    const senders = this.expectVerifying(piece).distinctSenders();
    this.state.partials.delete(piece);
    if (this.state.priorities[piece] > 0) this.state.enqueue(piece);
    else this.state.states[piece] = NOT_WANTED;
    return senders;
  }

  // ---- queries ----

  get pieceCount(): number {
    return this.state.pieceCount;
  }

  get haveCount(): number {
    return this.state.haveCount;
  }

  /** Pieces in flight or being verified (bounded by maxPartialPieces). */
  get partialCount(): number {
    return this.state.partials.size;
  }

  /** No wanted piece is left untouched: peers with nothing free to fetch may duplicate requests. */
  get inEndgame(): boolean {
    return this.state.inEndgame;
  }

  /** Every wanted piece is had. */
  get isFinished(): boolean {
    return this.state.queuedCount() === 0 && this.state.partials.size === 0;
  }

  pieceState(piece: number): PieceState {
    this.checkPiece(piece);
    return STATE_NAMES[this.state.states[piece]];
  }

  priority(piece: number): number {
    this.checkPiece(piece);
    return this.state.priorities[piece];
  }

  blockCount(piece: number): number {
    this.checkPiece(piece);
    return this.state.blockCounts[piece];
  }

  /** Peers that have `piece`, seeds included. */
  availability(piece: number): number {
    this.checkPiece(piece);
    return this.state.availability.of(piece);
  }

  /** A block's state; blocks of queued and not-wanted pieces are free, of had pieces received. */
  blockStatus(piece: number, block: number): BlockStatus {
    if (!this.isBlock(piece, block)) throw new PolicyError('bad-argument', `piece ${piece} has no block ${block}`);
    const partial = this.state.partials.get(piece);
    if (partial !== undefined) return partial.statusOf(block);
    return this.state.states[piece] === HAVE ? 'received' : 'free';
  }

  requestersOf(piece: number, block: number): readonly PeerId[] {
    return this.state.partials.get(piece)?.requestersOf(block) ?? [];
  }

  /** The blocks `peer` was asked for and has not delivered. */
  requestsOf(peer: PeerId): BlockRef[] {
    return [...this.record(peer).requests].map(blockOfKey);
  }

  /** Whether we still want `piece`: a peer having it makes that peer interesting. */
  wants(piece: number): boolean {
    const current = this.state.states[piece];
    return current === QUEUED || current === IN_FLIGHT;
  }

  /** Throws if any invariant of STATE.md is broken. O(pieces x peers): for tests and debug builds. */
  checkInvariants(): void {
    const violation = pickerViolation(this.state);
    if (violation !== undefined) throw new PolicyError('invariant', violation);
  }

  private canStart(): boolean {
    return this.state.partials.size < this.maxPartialPieces;
  }

  private record(peer: PeerId): PeerRecord {
    const record = this.state.peers.get(peer);
    if (record === undefined) throw new PolicyError('unknown-peer', `peer ${peer} was never added`);
    return record;
  }

  private expectVerifying(piece: number) {
    this.checkPiece(piece);
    if (this.state.states[piece] !== VERIFYING) {
      throw new PolicyError('bad-state', `piece ${piece} is ${STATE_NAMES[this.state.states[piece]]}, not verifying`);
    }
    return this.state.partials.get(piece)!;
  }

  private validPieces(pieces: readonly number[]): Set<number> {
    return new Set(pieces.filter((piece) => Number.isInteger(piece) && piece >= 0 && piece < this.pieceCount));
  }

  private isBlock(piece: number, block: number): boolean {
    return Number.isInteger(piece) && piece >= 0 && piece < this.pieceCount
      && Number.isInteger(block) && block >= 0 && block < this.state.blockCounts[piece];
  }

  private checkPiece(piece: number): void {
    checkInteger('piece', piece, 0, this.pieceCount - 1);
  }
}
