import type { ObjectStore } from '@seedfleet/storage';
import { TrustError } from '../trust-error';
import { assertStoreName, type MetadataStore } from './metadata-store';

export interface ObjectStoreMetadataStoreOptions {
  /** Prepended to every name, e.g. `tuf/metadata/`; empty or ending in `/`. */
  readonly prefix: string;
  /** Larger objects are refused on read (TrustError('invalid-metadata')), so a bad object cannot exhaust memory. */
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** The publisher's ObjectStore (S3 or a directory) as a MetadataStore; its puts are atomic per object. */
export class ObjectStoreMetadataStore implements MetadataStore {
  private readonly maxBytes: number;

  constructor(
    private readonly objects: ObjectStore,
    private readonly options: ObjectStoreMetadataStoreOptions,
  ) {
    if (options.prefix !== '' && !options.prefix.endsWith('/')) throw new TrustError('invalid-argument', `prefix '${options.prefix}' must be empty or end with '/'`);
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  }

  async read(name: string): Promise<Buffer | undefined> {
    assertStoreName(name);
    const key = this.options.prefix + name;
    try {
      const { body, size } = await this.objects.get(key);
      if (size > this.maxBytes) {
        body.destroy();
        throw new TrustError('invalid-metadata', `${key} is ${size} bytes, more than the ${this.maxBytes} a metadata file may have`);
      }
      const chunks: Buffer[] = [];
      for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof TrustError) throw error;
      if (isStorageError(error, 'not-found')) return undefined;
      throw new TrustError('io', `cannot read ${key} from ${this.objects.describe()}: ${(error as Error).message}`, { cause: error });
    }
  }

  async write(name: string, bytes: Uint8Array): Promise<void> {
    assertStoreName(name);
    const key = this.options.prefix + name;
    try {
      await this.objects.put(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    } catch (error) {
      throw new TrustError('io', `cannot write ${key} to ${this.objects.describe()}: ${(error as Error).message}`, { cause: error });
    }
  }
}

// Duck-typed, so this library needs only the ObjectStore type and never loads the storage adapters.
function isStorageError(error: unknown, code: string): boolean {
  return error instanceof Error && error.name === 'StorageError' && (error as { code?: unknown }).code === code;
}
