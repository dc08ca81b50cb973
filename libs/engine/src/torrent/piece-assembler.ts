import type { PieceGeometry } from '../peer/peer-options';
import { BLOCK_SIZE } from '../policy';

/** Default bytes of piece buffers in flight per torrent: 8 MiB kept 1 GiB over loopback at full speed (270-330 MiB/s) with 8 MiB less peak RSS than 16. */
export const DEFAULT_ASSEMBLY_BUDGET = 8 * 1024 * 1024;
/** The most the default budget grows to with many peers (see partialPieceLimit). */
export const MAX_ASSEMBLY_BUDGET = 48 * 1024 * 1024;
/** Pieces in flight per peer we download from, so each has pieces of its own to send (probation gives it two). */
const PIECES_PER_PEER = 2;

/**
 * How many pieces may be assembled at once with `peers` sources: the base budget's, or two per source plus
 * two, whichever is more, up to `maxBytes`. A fixed budget starves a swarm: with 8 MiB of 1 MiB pieces and
 * 15 peers, most peers had no piece to send us while their upload idled (S1 N = 8, 256 MiB, same code
 * otherwise: 8 MiB fixed, η 0.83 and completions spread over 17 s; 32 MiB, η 0.85, all within 1 s). One
 * peer (S2) still gets the base budget.
 */
export function partialPieceLimit(baseBytes: number, maxBytes: number, pieceLength: number, peers: number): number {
  const base = PieceAssembler.maxPieces(baseBytes, pieceLength);
  const cap = Math.max(base, Math.floor(maxBytes / pieceLength));
  return Math.min(cap, Math.max(base, PIECES_PER_PEER * peers + 2));
}

/**
 * One buffer per piece being downloaded, filled block by block, handed over whole when the picker says
 * every block is in. Buffers are made on the first block, not on the first request, and never exceed
 * `maxPieces` of them (the picker's maxPartialPieces, from the byte budget): that is the memory bound
 * that stops requesting when verification or the disk fall behind.
 */
export class PieceAssembler {
  private readonly buffers = new Map<number, Buffer>();
  /** Who sent each block (by block number), to find the culprit when the hash fails. */
  private readonly senders = new Map<number, string[]>();
  /** Full-size piece buffers back from the store, reused: no allocator churn at hundreds of MiB/s. */
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly geometry: PieceGeometry,
    /** Spare buffers kept (the pieces in flight at once). */
    private readonly maxSpare = 2,
  ) {}

  /** How many pieces fit the budget: at least 2 so one piece can verify while another downloads. */
  static maxPieces(budgetBytes: number, pieceLength: number): number {
    return Math.max(2, Math.floor(budgetBytes / pieceLength));
  }

  /** Copies block `block` in (the data is a view of a socket chunk); `sender` names who sent it. */
  write(index: number, block: number, begin: number, data: Buffer, sender: string): void {
    let buffer = this.buffers.get(index);
    if (!buffer) {
      buffer = this.allocate(this.geometry.pieceSize(index));
      this.buffers.set(index, buffer);
      this.senders.set(index, []);
    }
    data.copy(buffer, begin);
    this.senders.get(index)![block] = sender;
  }

  /**
   * A whole piece from one sender (a web seed): its buffer becomes the piece buffer, no copy. Only for a
   * piece with no block written yet; otherwise write the blocks still missing.
   */
  adopt(index: number, data: Buffer, sender: string): void {
    if (this.buffers.has(index)) throw new RangeError(`piece ${index} is being assembled already`);
    this.buffers.set(index, data);
    this.senders.set(index, new Array<string>(Math.ceil(data.length / BLOCK_SIZE)).fill(sender));
  }

  has(index: number): boolean {
    return this.buffers.has(index);
  }

  /** Takes the complete piece out (for verification), with each block's sender. */
  take(index: number): { data: Buffer; senders: string[] } | undefined {
    const data = this.buffers.get(index);
    const senders = this.senders.get(index) ?? [];
    this.drop(index);
    return data && { data, senders };
  }

  /** A piece buffer the store is done with (its write resolved): kept for the next piece of that size. */
  recycle(buffer: Buffer): void {
    const size = this.spare[0]?.length ?? buffer.length;
    if (buffer.length === size && buffer.byteLength === buffer.buffer.byteLength && this.spare.length < this.maxSpare) this.spare.push(buffer);
  }

  /** Forgets a piece no longer being assembled (released back to the queue, or failed). */
  drop(index: number): void {
    this.buffers.delete(index);
    this.senders.delete(index);
  }

  get pieces(): number {
    return this.buffers.size;
  }

  get bytes(): number {
    let total = 0;
    for (const buffer of this.buffers.values()) total += buffer.length;
    return total;
  }

  clear(): void {
    this.buffers.clear();
    this.senders.clear();
    this.spare.length = 0;
  }

  private allocate(size: number): Buffer {
    const reused = this.spare.length > 0 && this.spare[0].length === size ? this.spare.pop() : undefined;
    // allocUnsafeSlow: a buffer that owns its ArrayBuffer, so the hash pool can transfer it to a worker.
    return reused ?? Buffer.allocUnsafeSlow(size);
  }
}
