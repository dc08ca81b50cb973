import type { PieceStore } from '../storage/piece-store';

/** A block lent out of a cached piece: `release()` once the socket has written it (or it was never sent). */
export interface LentBlock {
  readonly data: Buffer;
  release(): void;
}

interface ReadIntoStore {
  readPieceInto(index: number, target: Buffer): Promise<Buffer>;
}

interface Slot {
  /** The piece held or being loaded; -1 = none. */
  index: number;
  /** Piece-length buffer owned by the slot (reused for every piece it holds). */
  readonly buffer: Buffer;
  /** The view holding the piece (shorter for the last piece). */
  piece: Buffer | undefined;
  loading: Promise<Buffer> | undefined;
  /** Blocks lent out and not yet released: the slot cannot take another piece until it is 0. */
  lent: number;
  usedAt: number;
}

const noop = (): void => undefined;

/**
 * Whole pieces for seeding in a fixed set of piece-size buffers that are reused, never reallocated. Peers
 * ask for a piece's blocks one after another, so one disk read serves them all. A block is a view of its
 * slot's buffer, lent until the socket wrote it; a slot takes another piece only once nothing of it is
 * lent. A fresh buffer per piece (as the storage ReadCache this replaced did) made garbage that V8 frees only when it is ~64 MiB
 * of external memory later, which is what put a seeder's RSS at 130+ MiB. When every slot is busy the
 * block is read on its own (unpooled), so a slow socket never stalls the others.
 */
export class UploadCache {
  private readonly slots: Slot[] = [];
  private useCounter = 0;

  constructor(
    private readonly store: PieceStore,
    private readonly pieceLength: number,
    /** Most slots (pieces held at once). */
    private readonly maxSlots: number,
  ) {
    if (!Number.isInteger(maxSlots) || maxSlots < 1) throw new RangeError(`upload cache needs at least one slot, got ${maxSlots}`);
  }

  /** Slots for a byte budget: at least two pieces, so one can load while another is being sent. */
  static slotsFor(budgetBytes: number, pieceLength: number): number {
    return Math.max(2, Math.floor(budgetBytes / pieceLength));
  }

  get stats(): { readonly slots: number; readonly lent: number } {
    let lent = 0;
    for (const slot of this.slots) lent += slot.lent;
    return { slots: this.slots.length, lent };
  }

  async readBlock(index: number, begin: number, length: number): Promise<LentBlock> {
    const slot = this.slotFor(index);
    if (slot === undefined) return { data: await this.store.readBlock(index, begin, length), release: noop };
    slot.lent++;
    slot.usedAt = ++this.useCounter;
    let piece: Buffer;
    try {
      piece = slot.piece ?? (await slot.loading!);
    } catch (error) {
      slot.lent--;
      throw error;
    }
    if (!Number.isInteger(begin) || !Number.isInteger(length) || begin < 0 || length < 0 || begin + length > piece.length) {
      slot.lent--;
      // The store words the range error.
      return { data: await this.store.readBlock(index, begin, length), release: noop };
    }
    let released = false;
    return {
      data: piece.subarray(begin, begin + length),
      release: () => {
        if (released) return;
        released = true;
        slot.lent--;
      },
    };
  }

  /** Forgets every piece (the store's bytes may change); lent blocks stay valid until released. */
  clear(): void {
    for (const slot of this.slots) if (slot.lent === 0) this.empty(slot);
  }

  private slotFor(index: number): Slot | undefined {
    let free: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.index === index) return slot;
      if (slot.lent === 0 && slot.loading === undefined && (free === undefined || slot.usedAt < free.usedAt)) free = slot;
    }
    if (free === undefined && this.slots.length < this.maxSlots) {
      // allocUnsafeSlow: outside Node's shared pool, so the slot owns its memory outright.
      free = { index: -1, buffer: Buffer.allocUnsafeSlow(this.pieceLength), piece: undefined, loading: undefined, lent: 0, usedAt: 0 };
      this.slots.push(free);
    }
    if (free === undefined) return undefined;
    this.load(free, index);
    return free;
  }

  private load(slot: Slot, index: number): void {
    slot.index = index;
    slot.piece = undefined;
    const store = this.store as PieceStore & Partial<ReadIntoStore>;
    const loading = (store.readPieceInto ? store.readPieceInto(index, slot.buffer) : store.readPiece(index)).then(
      (piece) => {
        if (slot.loading === loading) {
          slot.loading = undefined;
          slot.piece = piece;
        }
        return piece;
      },
      (error: unknown) => {
        if (slot.loading === loading) this.empty(slot);
        throw error;
      },
    );
    slot.loading = loading;
  }

  private empty(slot: Slot): void {
    slot.index = -1;
    slot.piece = undefined;
    slot.loading = undefined;
  }
}
