import type { BlockRef } from '@seedfleet/wire';
import { blockKey, blockOfKey } from './block-key';

/** A piece arriving is for a request in flight, one we gave up on (cancelled, or dropped by a choke), or neither. */
export type PieceMatch = 'requested' | 'late' | 'unrequested';

/** Recently abandoned requests remembered so their blocks, still on the wire, are not taken for abuse. */
const LATE_CAPACITY = 1024;

/**
 * The requests we sent and still expect an answer to. Bounded by what the requester sends (its request
 * depth); the memory of abandoned requests is a fixed-size FIFO.
 */
export class SentRequests {
  private readonly inFlight = new Map<number, number>();
  private readonly late = new Map<number, number>();

  get count(): number {
    return this.inFlight.size;
  }

  has(index: number, begin: number): boolean {
    return this.inFlight.has(blockKey(index, begin));
  }

  /** Returns false for a block already requested. */
  add(block: BlockRef): boolean {
    const key = blockKey(block.index, block.begin);
    if (this.inFlight.has(key)) return false;
    this.inFlight.set(key, block.length);
    this.late.delete(key);
    return true;
  }

  /** Settles the request a piece answers; the length must match the request's too. */
  settle(index: number, begin: number, length: number): PieceMatch {
    const key = blockKey(index, begin);
    if (this.inFlight.get(key) === length) {
      this.inFlight.delete(key);
      return 'requested';
    }
    if (this.late.get(key) === length) {
      this.late.delete(key);
      return 'late';
    }
    return 'unrequested';
  }

  /** Settles a rejected request; false if there was no such request. */
  reject(block: BlockRef): boolean {
    const key = blockKey(block.index, block.begin);
    if (this.inFlight.get(key) !== block.length) return false;
    this.inFlight.delete(key);
    return true;
  }

  /** We no longer wait for this block, though it may still arrive. */
  abandon(block: BlockRef): void {
    const key = blockKey(block.index, block.begin);
    const length = this.inFlight.get(key);
    if (length === undefined) return;
    this.inFlight.delete(key);
    this.remember(key, length);
  }

  /** A choke without the fast extension drops them all (BEP 3); returns them. */
  abandonAll(): BlockRef[] {
    const dropped: BlockRef[] = [];
    for (const [key, length] of this.inFlight) {
      dropped.push(blockOfKey(key, length));
      this.remember(key, length);
    }
    this.inFlight.clear();
    return dropped;
  }

  list(): BlockRef[] {
    return Array.from(this.inFlight, ([key, length]) => blockOfKey(key, length));
  }

  private remember(key: number, length: number): void {
    this.late.set(key, length);
    if (this.late.size > LATE_CAPACITY) this.late.delete(this.late.keys().next().value as number);
  }
}
