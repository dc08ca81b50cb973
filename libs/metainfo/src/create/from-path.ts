import { availableParallelism } from 'node:os';
import { basename, resolve } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import type { CreatedTorrent, CreateOptions } from './create-options';
import { createTorrent } from './create-torrent';
import { collectFiles } from './collect-files';

/** Jobs queued at each worker of our own pool. */
const JOBS_PER_WORKER = 8;

/**
 * createTorrent over a file (a single-file torrent) or a directory; the name defaults to its base name.
 * The files are local, so the hash workers read them themselves.
 */
export async function createTorrentFromPath(path: string, options: CreateOptions = {}): Promise<CreatedTorrent> {
  const root = resolve(path);
  // Jobs that read their own bytes hold no memory, so each worker gets a deep queue: it keeps hashing
  // while a loaded machine schedules the main thread late.
  const workers = availableParallelism();
  const pool = options.pool ?? new HashPool({ size: workers, jobsPerWorker: JOBS_PER_WORKER, maxPending: workers * JOBS_PER_WORKER });
  try {
    const files = await collectFiles(root);
    return await createTorrent(files, { ...options, pool, name: options.name ?? basename(root) });
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}
