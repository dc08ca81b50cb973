import { constants } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredFile } from './file-paths';
import { toStorageError } from './io-error';
import { mapLimit } from './map-limit';
import { StorageError } from './piece-store';

export type Preallocation = 'sparse' | 'none';

/** Files prepared at a time: enough to overlap the syscalls of a 10,000-file torrent, few descriptors. */
export const PARALLEL_FILES = 16;

/**
 * Creates the directories and every file (empty files too, as other clients do) and, with 'sparse',
 * extends short files to their length with ftruncate: no blocks are allocated, so a half-downloaded
 * 100 GiB torrent takes only what it holds, yet each file has its final size from the start.
 * Existing bytes are never touched, and a file already long enough is not even opened (ftruncate would
 * move its mtime and cost a recheck). Returns, per metainfo file index, where the bytes this call added
 * (known zeros, never written) begin: the file's length when it added none.
 */
export async function prepareFiles(files: readonly StoredFile[], preallocate: Preallocation): Promise<Map<number, number>> {
  const directories = new Set(files.map((file) => dirname(file.absolutePath)));
  for (const directory of directories) {
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      throw toStorageError(error, 'creating directory', directory);
    }
  }
  const dataEnds = await mapLimit(files, PARALLEL_FILES, (file) => prepareFile(file, preallocate));
  return new Map(files.map((file, i) => [file.fileIndex, dataEnds[i]]));
}

async function prepareFile(file: StoredFile, preallocate: Preallocation): Promise<number> {
  const path = file.absolutePath;
  const size = await existingSize(file);
  const extend = preallocate === 'sparse' && size !== null && size < file.length;
  if (size !== null && !extend) return file.length;
  try {
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT, file.executable ? 0o777 : 0o666);
    try {
      if (preallocate === 'sparse' && file.length > 0) await handle.truncate(file.length);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw toStorageError(error, preallocate === 'sparse' ? 'preallocating' : 'creating', path);
  }
  return size ?? 0;
}

/** The file's size, or null when it does not exist. */
async function existingSize(file: StoredFile): Promise<number | null> {
  try {
    const stats = await stat(file.absolutePath);
    if (!stats.isFile()) throw new StorageError('io', `${file.absolutePath} is not a regular file`, file.absolutePath);
    return stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw toStorageError(error, 'inspecting', file.absolutePath);
  }
}
