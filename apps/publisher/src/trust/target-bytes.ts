import type { ObjectStore } from '@seedfleet/storage';
import { StorageError } from '@seedfleet/storage';
import { createHash } from 'node:crypto';

/** A .torrent or manifest larger than this is not signed (and not read into memory). */
const MAX_TARGET_BYTES = 64 * 1024 * 1024;

/** The exact stored bytes of a release's .torrent or manifest with their SHA-256; undefined when absent. */
export async function readTargetBytes(store: ObjectStore, key: string): Promise<{ bytes: Buffer; sha256: string; length: number } | undefined> {
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
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length };
}
