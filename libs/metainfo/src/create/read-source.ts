import { CreateTorrentError } from './create-error';
import type { CreateSourceFile } from './create-options';

/** The file's bytes, failing if the source yields more or fewer than its declared length (it changed). */
export async function* readSource(file: CreateSourceFile, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const subject = file.path.length > 0 ? file.path.join('/') : 'file';
  let seen = 0;
  try {
    for await (const chunk of file.open()) {
      signal?.throwIfAborted();
      seen += chunk.length;
      if (seen > file.length) throw new CreateTorrentError(subject, `yielded more than its declared ${file.length} bytes (did it change while hashing?)`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof CreateTorrentError || error === signal?.reason) throw error;
    throw new CreateTorrentError(subject, `cannot be read: ${(error as Error).message}`, { cause: error });
  }
  if (seen < file.length) throw new CreateTorrentError(subject, `ended after ${seen} of its declared ${file.length} bytes (did it change while hashing?)`);
}
