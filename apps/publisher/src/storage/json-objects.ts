import { type ObjectStore, StorageError } from '@seedfleet/storage';

const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** A JSON record from the store, or undefined when it does not exist. */
export async function readJsonObject<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  let result;
  try {
    result = await store.get(key);
  } catch (error) {
    if (error instanceof StorageError && error.code === 'not-found') return undefined;
    throw error;
  }
  if (result.size > MAX_RECORD_BYTES) {
    result.body.destroy();
    throw new StorageError('too-large', `record ${key} is ${result.size} bytes, more than a record may hold`, key);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of result.body) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as T;
}

export async function writeJsonObject(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, Buffer.from(`${JSON.stringify(value, null, 2)}\n`), { contentType: 'application/json' });
}
