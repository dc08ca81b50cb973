import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CreatedTorrent, CreateOptions } from './create-options';
import { createTorrent } from './create-torrent';
import { collectFiles } from './collect-files';

/** createTorrent over a file (a single-file torrent) or a directory; the name defaults to its base name. */
export async function createTorrentFromPath(path: string, options: CreateOptions = {}): Promise<CreatedTorrent> {
  const root = resolve(path);
  const files = await collectFiles(root, (fullPath) => createReadStream(fullPath, { highWaterMark: 1024 * 1024 }));
  return createTorrent(files, { ...options, name: options.name ?? basename(root) });
}
