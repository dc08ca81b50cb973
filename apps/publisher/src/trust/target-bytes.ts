import type { ObjectStore } from '@seedfleet/storage';
import { readSmallObject } from '../storage/small-object';

/** A .torrent or manifest larger than this is not signed (and not read into memory). */
const MAX_TARGET_BYTES = 64 * 1024 * 1024;

/** The exact stored bytes of a release's .torrent or manifest (what TUF signs); undefined when absent. */
export function readTargetBytes(store: ObjectStore, key: string): Promise<Buffer | undefined> {
  return readSmallObject(store, key, MAX_TARGET_BYTES);
}
