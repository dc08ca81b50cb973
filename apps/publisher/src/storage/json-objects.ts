import { type ObjectStore, StorageError } from '@seedfleet/storage';
import { readSmallObject } from './small-object';

const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Reads of a record that is being replaced on a store whose overwrites are not atomic. */
const READ_ATTEMPTS = 4;

/**
 * A JSON record from the store, or undefined when it does not exist. A body that is not valid JSON (cut
 * short mid-write) is read again a few times: S3 replaces objects atomically, but some S3-compatible
 * stores, s3rver among them, can be read mid-write. A record that stays unreadable is a StorageError.
 */
export async function readJsonObject<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const bytes = await readSmallObject(store, key, MAX_RECORD_BYTES);
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(bytes.toString('utf8')) as T;
    } catch (error) {
      if (attempt >= READ_ATTEMPTS) {
        throw new StorageError('io', `record ${key} is not valid JSON after ${attempt} reads: ${(error as Error).message}`, key, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

export async function writeJsonObject(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), { contentType: 'application/json' });
}
