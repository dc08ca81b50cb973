import { createHash } from 'node:crypto';
import type { ObjectStore } from '@seedfleet/storage';
import type { ReleaseFile } from '../releases/release.model';
import { BuildInputError } from './build-errors';

/**
 * Streams a release file from storage and fails with BuildInputError unless it has exactly the size and
 * SHA-256 recorded at upload: the torrent must describe the bytes the record promises, nothing else.
 */
export async function* verifiedRead(store: ObjectStore, key: string, file: ReleaseFile): AsyncGenerator<Uint8Array> {
  const object = await store.get(key);
  if (object.size !== file.size) {
    object.body.destroy();
    throw new BuildInputError(`${file.path} is ${object.size} bytes in storage but ${file.size} in the release record`);
  }
  const hash = createHash('sha256');
  let seen = 0;
  for await (const chunk of object.body as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (seen > file.size) throw new BuildInputError(`${file.path} grew past its recorded ${file.size} bytes while building`);
    hash.update(chunk);
    yield chunk;
  }
  const sha256 = hash.digest('hex');
  if (seen !== file.size || sha256 !== file.sha256) {
    throw new BuildInputError(`${file.path} changed since upload (SHA-256 ${sha256}, ${seen} bytes; recorded ${file.sha256}, ${file.size} bytes)`);
  }
}
