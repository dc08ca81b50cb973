import { createTorrent, type Metainfo, parseTorrent, type PieceLayout, pieceRange, pieceSize } from '@seedfleet/metainfo';
import { type PieceStore, StorageError } from '../storage/piece-store';
import { seededBytes } from './test-torrent';

/**
 * Torrent content of any size without holding it: byte o is `pattern[o % pattern.length]`, with a
 * pattern length that is no multiple of a piece length, so pieces differ. For throughput benchmarks.
 */
export class SyntheticContent {
  private readonly pattern: Buffer;

  constructor(readonly size: number, seed = 'synthetic') {
    this.pattern = seededBytes(4 * 1024 * 1024 + 4099, seed);
  }

  /** Copies bytes [start, start + target.length) into target. */
  fill(target: Buffer, start: number): Buffer {
    const period = this.pattern.length;
    for (let written = 0; written < target.length; ) {
      const from = (start + written) % period;
      written += this.pattern.copy(target, written, from, Math.min(period, from + target.length - written));
    }
    return target;
  }
}

/** A seeder's store that makes each block from SyntheticContent on read: no memory per byte seeded. */
export class SyntheticSeedStore implements PieceStore {
  constructor(
    private readonly layout: PieceLayout,
    private readonly content: SyntheticContent,
  ) {}

  async open(): Promise<void> {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}

  async writePiece(): Promise<void> {
    throw new StorageError('io', 'a synthetic seed store is read-only');
  }

  async readBlock(index: number, begin: number, length: number): Promise<Buffer> {
    if (begin < 0 || length < 0 || begin + length > pieceSize(this.layout, index)) throw new StorageError('range', `bad block ${index}/${begin}/${length}`);
    return this.content.fill(Buffer.allocUnsafe(length), pieceRange(this.layout, index).start + begin);
  }

  async readPiece(index: number): Promise<Buffer> {
    return this.readBlock(index, 0, pieceSize(this.layout, index));
  }
}

/** A leecher's store that keeps nothing but counts (pieces reach it verified): for memory-bounded benchmarks. */
export class DiscardingStore implements PieceStore {
  written = 0;
  async open(): Promise<void> {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}

  async writePiece(_index: number, data: Buffer): Promise<void> {
    this.written += data.length;
  }

  async readBlock(index: number): Promise<Buffer> {
    throw new StorageError('missing', `piece ${index} was discarded`);
  }

  async readPiece(index: number): Promise<Buffer> {
    throw new StorageError('missing', `piece ${index} was discarded`);
  }
}


/** A v1 single-file torrent over SyntheticContent (hashed once, chunk by chunk, on the hash pool). */
export async function syntheticTorrent(size: number, pieceLength: number, seed?: string): Promise<{ metainfo: Metainfo; content: SyntheticContent }> {
  const content = new SyntheticContent(size, seed);
  const chunk = 4 * 1024 * 1024;
  const created = await createTorrent(
    [{
      path: [],
      length: size,
      open: async function* () {
        for (let at = 0; at < size; at += chunk) yield content.fill(Buffer.allocUnsafe(Math.min(chunk, size - at)), at);
      },
    }],
    { name: 'synthetic.bin', pieceLength, version: 'v1' },
  );
  return { metainfo: parseTorrent(created.torrent), content };
}
