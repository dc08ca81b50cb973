import type { BlockRef } from '@seedfleet/wire';
import { blockKey, blockOfKey } from './block-key';

/**
 * The peer's requests we accepted and have not answered yet, bounded by `limit` so a flood cannot grow
 * memory: the connection rejects or disconnects instead of queueing past it.
 */
export class ReceivedRequests {
  private readonly queued = new Map<number, number>();

  constructor(public limit: number) {}

  get size(): number {
    return this.queued.size;
  }

  get isFull(): boolean {
    return this.queued.size >= this.limit;
  }

  /** Returns false for a duplicate of a queued request. */
  add(block: BlockRef): boolean {
    const key = blockKey(block.index, block.begin);
    if (this.queued.has(key)) return false;
    this.queued.set(key, block.length);
    return true;
  }

  /** Removes a request (answered or cancelled); false if it was not queued with this length. */
  remove(index: number, begin: number, length: number): boolean {
    const key = blockKey(index, begin);
    if (this.queued.get(key) !== length) return false;
    this.queued.delete(key);
    return true;
  }

  /** Removes and returns every request for which `drop(index)` holds. */
  removeWhere(drop: (index: number) => boolean): BlockRef[] {
    const removed: BlockRef[] = [];
    for (const [key, length] of this.queued) {
      const block = blockOfKey(key, length);
      if (!drop(block.index)) continue;
      this.queued.delete(key);
      removed.push(block);
    }
    return removed;
  }
}
