import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoredFile } from './file-paths';
import { toStorageError } from './io-error';
import { mapLimit } from './map-limit';

export interface DiskSpace {
  /** Bytes the files still need: their lengths minus the blocks they already occupy. */
  readonly needed: number;
  /** Bytes free for an unprivileged writer on the file system holding the directory. */
  readonly available: number;
}

/**
 * Whether the torrent can fit, to refuse a download up front instead of failing with ENOSPC halfway.
 * Sparse preallocation reserves nothing, so the sizes say nothing: allocated blocks are what count.
 */
export async function diskSpace(directory: string, files: readonly StoredFile[]): Promise<DiskSpace> {
  const missing = await mapLimit(files, 16, async (file) => {
    try {
      const stats = await stat(file.absolutePath);
      return Math.max(0, file.length - stats.blocks * 512);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file.length;
      throw toStorageError(error, 'inspecting', file.absolutePath);
    }
  });
  const stats = await statfsOfExisting(directory);
  return { needed: missing.reduce((sum, bytes) => sum + bytes, 0), available: stats.bavail * stats.bsize };
}

/** statfs of `path` or, before open() created it, of its nearest existing ancestor. */
async function statfsOfExisting(path: string): Promise<{ bavail: number; bsize: number }> {
  for (let at = path; ; at = dirname(at)) {
    try {
      return await statfs(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(at) === at) throw toStorageError(error, 'inspecting', at);
    }
  }
}
