import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CreatedTorrent, CreateOptions } from './create-options';
import { createTorrent } from './create-torrent';
import { collectFiles } from './collect-files';
import { orderByVersion } from './file-order';
import { SmallFilePrefetch } from './small-file-prefetch';

/** createTorrent over a file (a single-file torrent) or a directory; the name defaults to its base name. */
export async function createTorrentFromPath(path: string, options: CreateOptions = {}): Promise<CreatedTorrent> {
  const root = resolve(path);
  const found: { fullPath: string; length: number; path: string[] }[] = [];
  // Reads start only once createTorrent runs, after the walk has arranged the prefetcher.
  const prefetch = new SmallFilePrefetch();
  const files = await collectFiles(root, (fullPath, length) =>
    prefetch.isSmall(length) ? prefetch.open(fullPath) : createReadStream(fullPath, { highWaterMark: readSize(length) }),
  (entry) => found.push(entry));
  prefetch.arrange(orderByVersion(found, options.version ?? 'hybrid'));
  return createTorrent(files, { ...options, name: options.name ?? basename(root) });
}

/**
 * Large reads for large files (fewer syscalls and events), but never more than the file: a fixed 1 MiB
 * buffer per 30 KB file made 10k small files allocate ~10 GB and spend seconds in GC.
 */
function readSize(length: number): number {
  return Math.min(4 * 1024 * 1024, Math.max(64 * 1024, length));
}
