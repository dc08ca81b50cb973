import { type ObjectStore, StorageError } from '@seedfleet/storage';
import { readSmallObject } from './small-object';

const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** Reads of a record that is being replaced on a store whose overwrites are not atomic. */
const READ_ATTEMPTS = 4;

/**
 * A JSON record from the store, or undefined when it does not exist. A body shorter than the object's
 * size or not valid JSON is read again a few times (S3 replaces objects atomically, but some S3-compatible
 * stores, s3rver among them, can be read mid-write); a record that stays unreadable is a StorageError.
 */
export async function readJsonObject<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    const text = await readRecordText(store, key);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      if (attempt >= READ_ATTEMPTS) {
        throw new StorageError('io', `record ${key} is not valid JSON after ${attempt} reads: ${(error as Error).message}`, key, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
    }
  }
}

async function readRecordText(store: ObjectStore, key: string): Promise<string | undefined> {
  return (await readSmallObject(store, key, MAX_RECORD_BYTES))?.toString('utf8');
}

export async function writeJsonObject(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), { contentType: 'application/json' });
}
