/**
 * Bytes of files that never change once written (versioned TUF metadata, hash-named targets), kept in
 * memory up to `maxBytes` in total, least recently used out first, so agents polling the publisher do not
 * turn every request into a storage read.
 */
export class ImmutableFileCache {
  private readonly entries = new Map<string, Buffer>();
  private size = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxEntryBytes: number,
  ) {}

  async get(name: string, load: () => Promise<Buffer | undefined>): Promise<Buffer | undefined> {
    const cached = this.entries.get(name);
    if (cached) {
      this.entries.delete(name);
      this.entries.set(name, cached);
      return cached;
    }
    const bytes = await load();
    if (bytes && bytes.length <= this.maxEntryBytes) this.put(name, bytes);
    return bytes;
  }

  private put(name: string, bytes: Buffer): void {
    if (this.entries.has(name)) return;
    this.entries.set(name, bytes);
    this.size += bytes.length;
    for (const [oldest, evicted] of this.entries) {
      if (this.size <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.size -= evicted.length;
    }
  }
}
