import { type ObjectStore, StorageError } from '@seedfleet/storage';

export class ObjectTooLargeError extends Error {
  override readonly name = 'ObjectTooLargeError';
}

/**
 * A small object (a record, a .torrent, a manifest) read whole, or undefined when it does not exist.
 * Objects larger than `maxBytes` are refused without reading them past the limit.
 */
export async function readSmallObject(store: ObjectStore, key: string, maxBytes: number): Promise<Buffer | undefined> {
  let result;
  try {
    result = await store.get(key);
  } catch (error) {
    if (error instanceof StorageError && error.code === 'not-found') return undefined;
    throw error;
  }
  if (result.size > maxBytes) {
    result.body.destroy();
    throw new ObjectTooLargeError(`${key} is ${result.size} bytes, more than the ${maxBytes} expected`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of result.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw new ObjectTooLargeError(`${key} grew past ${maxBytes} bytes while being read`);
      chunks.push(chunk);
    }
  } finally {
    result.body.destroy();
  }
  return Buffer.concat(chunks, total);
}
