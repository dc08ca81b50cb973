import { basename, resolve } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import type { CreatedTorrent, CreateOptions } from './create-options';
import { createTorrent } from './create-torrent';
import { collectFiles } from './collect-files';

/**
 * createTorrent over a file (a single-file torrent) or a directory; the name defaults to its base name.
 * The files are local, so the hash workers read them themselves. A pool of our own is started before the
 * walk, so its threads boot while the directory is read (~0.1 s of a 10k-file tree).
 */
export async function createTorrentFromPath(path: string, options: CreateOptions = {}): Promise<CreatedTorrent> {
  const root = resolve(path);
  const pool = options.pool ?? new HashPool();
  try {
    const files = await collectFiles(root);
    return await createTorrent(files, { ...options, pool, name: options.name ?? basename(root) });
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}
