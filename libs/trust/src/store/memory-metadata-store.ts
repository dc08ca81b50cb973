import { assertStoreName, type MetadataStore } from './metadata-store';

/** Keeps files in a Map; for tests and for building metadata before copying it elsewhere. */
export class MemoryMetadataStore implements MetadataStore {
  private readonly files = new Map<string, Buffer>();

  async read(name: string): Promise<Buffer | undefined> {
    assertStoreName(name);
    const bytes = this.files.get(name);
    return bytes && Buffer.from(bytes);
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    assertStoreName(name);
    this.files.set(name, Buffer.from(bytes));
  }

  /** Every file name, sorted. */
  names(): string[] {
    return [...this.files.keys()].sort();
  }
}
