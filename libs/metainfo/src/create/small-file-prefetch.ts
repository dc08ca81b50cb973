import { readFile } from 'node:fs/promises';

/** Files up to this size are read whole, ahead of time; larger ones stream. */
export const SMALL_FILE_LIMIT = 1024 * 1024;
const AHEAD_FILES = 32;
const AHEAD_BYTES = 32 * 1024 * 1024;

interface Entry {
  fullPath: string;
  length: number;
}

/**
 * Creation reads files one after another (piece order), so a tree of many small files is bound by the
 * open/read/close round trips through libuv's thread pool, not by hashing. When a small file is opened,
 * this starts reading the next small files too (bounded in count and bytes), so their I/O overlaps.
 */
export class SmallFilePrefetch {
  private readonly pending = new Map<number, Promise<Buffer>>();
  private readonly indexOf = new Map<string, number>();
  private entries: Entry[] = [];

  /** Sets the order files will be opened in (the torrent's file order). */
  arrange(entries: Entry[]): void {
    this.entries = entries;
    this.indexOf.clear();
    entries.forEach((entry, index) => this.indexOf.set(entry.fullPath, index));
  }

  isSmall(length: number): boolean {
    return length <= SMALL_FILE_LIMIT;
  }

  async *open(fullPath: string): AsyncGenerator<Uint8Array> {
    const index = this.indexOf.get(fullPath);
    if (index === undefined) throw new Error(`not a prefetchable file: ${fullPath}`);
    const content = this.take(index);
    this.readAhead(index + 1);
    yield await content;
  }

  private take(index: number): Promise<Buffer> {
    const started = this.pending.get(index);
    this.pending.delete(index);
    return started ?? readFile(this.entries[index].fullPath);
  }

  private readAhead(from: number): void {
    let bytes = 0;
    for (let index = from; index < this.entries.length && index < from + AHEAD_FILES; index++) {
      const { fullPath, length } = this.entries[index];
      if (!this.isSmall(length)) break;
      bytes += length;
      if (bytes > AHEAD_BYTES) break;
      if (!this.pending.has(index)) {
        const read = readFile(fullPath);
        // A failure surfaces when the file's turn comes (take), not as an unhandled rejection now.
        read.catch(() => undefined);
        this.pending.set(index, read);
      }
    }
  }
}
