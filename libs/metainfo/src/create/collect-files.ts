import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { CreateTorrentError } from './create-error';
import type { CreateSourceFile } from './create-options';

type Open = (fullPath: string, length: number) => AsyncIterable<Uint8Array>;
/** Told of every file found, with its place in the torrent, so the caller can plan its reads. */
type Found = (entry: { fullPath: string; length: number; path: string[] }) => void;

/**
 * The files under `root` as libtorrent's add_files sees them: hidden files included, empty directories
 * left out, symlinks followed (into directories too; a dangling one is skipped) and devices, FIFOs and
 * sockets skipped. 'x' comes from the owner's execute bit of lstat, so a followed symlink is 'x'
 * (its own mode is 0777), as libtorrent 2.0.8 writes it. Names must be valid UTF-8.
 */
export async function collectFiles(root: string, open: Open, found: Found = () => undefined): Promise<CreateSourceFile[]> {
  const rootStats = await stat(root);
  if (rootStats.isFile()) return [sourceFile(root, [], rootStats, await lstat(root), open, found)];
  if (!rootStats.isDirectory()) throw new CreateTorrentError(root, 'is neither a file nor a directory');
  const files: CreateSourceFile[] = [];
  await walk(root, [], new Set([await realpath(root)]), files, open, found);
  return files;
}

async function walk(directory: string, below: string[], ancestors: Set<string>, files: CreateSourceFile[], open: Open, found: Found): Promise<void> {
  const entries = await readdir(directory, { encoding: 'buffer' });
  for (const rawName of entries) {
    const name = rawName.toString('utf8');
    const fullPath = join(directory, name);
    if (!Buffer.from(name, 'utf8').equals(rawName)) throw new CreateTorrentError(fullPath, 'file name is not valid UTF-8');
    const linkStats = await lstat(fullPath);
    const stats = linkStats.isSymbolicLink() ? await stat(fullPath).catch(() => undefined) : linkStats;
    if (stats?.isFile()) files.push(sourceFile(fullPath, [...below, name], stats, linkStats, open, found));
    if (stats?.isDirectory()) {
      const real = await realpath(fullPath);
      if (ancestors.has(real)) throw new CreateTorrentError(fullPath, 'symlink loops back to a directory above it');
      await walk(fullPath, [...below, name], new Set([...ancestors, real]), files, open, found);
    }
  }
}

function sourceFile(fullPath: string, path: string[], stats: Stats, linkStats: Stats, open: Open, found: Found): CreateSourceFile {
  found({ fullPath, length: stats.size, path });
  return { path, length: stats.size, attributes: linkStats.mode & 0o100 ? 'x' : '', open: () => open(fullPath, stats.size) };
}
