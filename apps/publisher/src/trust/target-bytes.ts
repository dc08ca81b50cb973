import { type ObjectStore, StorageError } from '@seedfleet/storage';

/** A .torrent or manifest larger than this is not signed (and not read into memory). */
const MAX_TARGET_BYTES = 64 * 1024 * 1024;

/** The exact stored bytes of a release's .torrent or manifest (what TUF signs); undefined when absent. */
export async function readTargetBytes(store: ObjectStore, key: string): Promise<Buffer | undefined> {
  let object;
  try {
    object = await store.get(key);
  } catch (error) {
    if (error instanceof StorageError && error.code === 'not-found') return undefined;
    throw error;
  }
  if (object.size > MAX_TARGET_BYTES) {
    object.body.destroy();
    throw new Error(`${key} is ${object.size} bytes, more than the ${MAX_TARGET_BYTES} a signed target may have`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of object.body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
