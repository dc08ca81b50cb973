import type { Readable } from 'node:stream';
import { type PieceStore, StorageError as PieceStoreError } from '@seedfleet/engine';
import { type Metainfo, pieceRange, pieceSize, pieceSpans } from '@seedfleet/metainfo';
import { type ObjectStore, StorageError as ObjectStoreError } from '@seedfleet/storage';
import type { ReadLimiter } from './read-limiter';

/** Waits before the second and third try of a range that failed transiently. */
const RETRY_DELAYS_MS = [200, 1000];

export interface ObjectStorePieceStoreOptions {
  readonly metainfo: Metainfo;
  readonly objects: ObjectStore;
  /** The object key holding the bytes of torrent file `fileIndex` (never asked for pad files). */
  readonly keyOf: (fileIndex: number) => string;
  /** Shared across stores: bounds the ranged GETs in flight. */
  readonly limiter: ReadLimiter;
}

/**
 * A read-only PieceStore over objects in an ObjectStore (the origin seeder's): a piece read is one ranged
 * GET per file it spans, pad bytes are zeros. The build verified the objects, so the torrent is added with
 * `seedOnly` and nothing is hashed here. writePiece always fails: the origin never downloads.
 */
export class ObjectStorePieceStore implements PieceStore {
  private readonly metainfo: Metainfo;
  private readonly reading = new Set<Promise<unknown>>();
  /** Bodies being read, destroyed by close() so a stalled GET cannot hold the store open. */
  private readonly bodies = new Set<Readable>();
  private closed = true;

  constructor(private readonly options: ObjectStorePieceStoreOptions) {
    this.metainfo = options.metainfo;
  }

  async open(): Promise<void> {
    this.closed = false;
  }

  async writePiece(index: number, _data?: Buffer): Promise<void> {
    throw new PieceStoreError('io', `the origin seeder's store is read-only (asked to write piece ${index})`);
  }

  async readBlock(index: number, begin: number, length: number): Promise<Buffer> {
    this.check(index, begin, length);
    // Unpooled: the engine may hand the buffer to the hash pool, which takes ownership of its memory.
    return this.track(this.readInto(index, begin, Buffer.allocUnsafeSlow(length)));
  }

  async readPiece(index: number): Promise<Buffer> {
    return this.readBlock(index, 0, this.check(index, 0, 0));
  }

  /** readPiece into a caller's buffer (the engine's UploadCache reuses its slots this way). */
  async readPieceInto(index: number, target: Buffer): Promise<Buffer> {
    const size = this.check(index, 0, 0);
    if (target.length < size) throw new PieceStoreError('range', `piece ${index} is ${size} bytes, the buffer only ${target.length}`);
    return this.track(this.readInto(index, 0, target.subarray(0, size)));
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const body of this.bodies) body.destroy(new PieceStoreError('closed', 'store closed during a read'));
    await Promise.allSettled([...this.reading]);
  }

  /** Fills `block` with the piece's bytes from `begin` on: one ranged GET per file span, zeros for pads. */
  private async readInto(index: number, begin: number, block: Buffer): Promise<Buffer> {
    const pieceStart = pieceRange(this.metainfo, index).start;
    const end = begin + block.length;
    let covered = 0;
    const reads: Promise<void>[] = [];
    for (const span of pieceSpans(this.metainfo, index)) {
      const spanStart = this.metainfo.files[span.fileIndex].offset + span.fileOffset - pieceStart;
      const from = Math.max(begin, spanStart);
      const to = Math.min(end, spanStart + span.length);
      if (from >= to) continue;
      block.fill(0, covered, from - begin);
      covered = to - begin;
      const key = this.options.keyOf(span.fileIndex);
      const target = block.subarray(from - begin, to - begin);
      reads.push(this.options.limiter.run(() => this.readRange(key, span.fileOffset + (from - spanStart), target)));
    }
    block.fill(0, covered);
    // allSettled, not all: a failed read must not return while another still writes into a reused buffer.
    const results = await Promise.allSettled(reads);
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    return block;
  }

  /**
   * One range into `target`, tried again after a transient failure ('io': a reset mid-body, a 5xx the
   * adapter gave up on), so a storage blip does not put the torrent in error and drop the origin from
   * its swarm. Missing objects and a closed store fail at once.
   */
  private async readRange(key: string, start: number, target: Buffer): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readRangeOnce(key, start, target);
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined || (error as PieceStoreError).code !== 'io' || this.closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async readRangeOnce(key: string, start: number, target: Buffer): Promise<void> {
    if (this.closed) throw new PieceStoreError('closed', 'store is closed');
    let body: Readable | undefined;
    try {
      const result = await this.options.objects.get(key, { start, end: start + target.length - 1 });
      body = result.body;
      if (this.closed) throw new PieceStoreError('closed', 'store is closed');
      if (result.range.start !== start || result.range.end !== start + target.length - 1) {
        throw new PieceStoreError('missing', `${key}: asked for bytes ${start}-${start + target.length - 1}, storage has ${result.range.start}-${result.range.end} of ${result.size}`, key);
      }
      this.bodies.add(body);
      let filled = 0;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (filled + chunk.length > target.length) throw new PieceStoreError('io', `${key}: storage sent more bytes than the range asked for`, key);
        chunk.copy(target, filled);
        filled += chunk.length;
      }
      if (filled !== target.length) throw new PieceStoreError('missing', `${key}: storage ended after ${filled} of ${target.length} bytes`, key);
    } catch (error) {
      throw toPieceStoreError(error, key);
    } finally {
      if (body) {
        this.bodies.delete(body);
        body.destroy();
      }
    }
  }

  private async track<T>(operation: Promise<T>): Promise<T> {
    this.reading.add(operation);
    try {
      return await operation;
    } finally {
      this.reading.delete(operation);
    }
  }

  /** Checks the store is open, the piece index and the byte range; returns the piece's size. */
  private check(index: number, begin: number, length: number): number {
    if (this.closed) throw new PieceStoreError('closed', 'store is closed');
    if (!Number.isInteger(index) || index < 0 || index >= this.metainfo.pieceCount) {
      throw new PieceStoreError('range', `piece ${index} is outside [0, ${this.metainfo.pieceCount})`);
    }
    const size = pieceSize(this.metainfo, index);
    if (!Number.isInteger(begin) || !Number.isInteger(length) || begin < 0 || length < 0 || begin + length > size) {
      throw new PieceStoreError('range', `bytes [${begin}, ${begin + length}) are outside piece ${index} (${size} bytes)`);
    }
    return size;
  }
}

function toPieceStoreError(error: unknown, key: string): PieceStoreError {
  if (error instanceof PieceStoreError) return error;
  if (error instanceof ObjectStoreError) {
    const code = error.code === 'not-found' || error.code === 'bad-range' ? 'missing' : 'io';
    return new PieceStoreError(code, `reading ${key}: ${error.message}`, key, { cause: error });
  }
  return new PieceStoreError('io', `reading ${key}: ${(error as Error)?.message ?? String(error)}`, key, { cause: error });
}
