import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { MetainfoError, parseTorrent, type Metainfo } from '@seedfleet/metainfo';
import { CliError, describeSystemError } from '../cli-error';

/** Far above any real .torrent; stops a mistyped path to a disk image from being read into memory. */
const maxTorrentBytes = 64 * 1024 * 1024;

/** Reads and parses `path` (relative to `cwd`); errors name the path as the user typed it. */
export async function readTorrentFile(cwd: string, path: string): Promise<Metainfo> {
  let bytes: Buffer;
  try {
    const handle = await open(resolve(cwd, path), 'r');
    try {
      const { size } = await handle.stat();
      if (size > maxTorrentBytes) throw new CliError(`'${path}' is ${size} bytes, too large to be a .torrent file`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read '${path}': ${describeSystemError(error)}`, { cause: error });
  }
  try {
    return parseTorrent(bytes);
  } catch (error) {
    if (error instanceof MetainfoError) throw new CliError(`'${path}' is not a valid torrent: ${error.message}`, { cause: error });
    throw error;
  }
}
