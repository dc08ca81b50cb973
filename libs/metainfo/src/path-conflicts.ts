import { MetainfoError } from './errors';
import type { TorrentFile } from './model';

/**
 * Two files with the same path, or a file where another file needs a directory, would overwrite each
 * other on disk. Pad files are never written, and libtorrent gives many of them the same name.
 */
export function checkPathConflicts(files: readonly TorrentFile[], fieldOf: (index: number) => string): void {
  const filePaths = new Set<string>();
  const directories = new Set<string>();
  files.forEach((file, index) => {
    if (file.pad) return;
    const joined = file.path.join('/');
    if (filePaths.has(joined) || directories.has(joined)) {
      throw new MetainfoError(fieldOf(index), `"${joined}" appears more than once`);
    }
    filePaths.add(joined);
    for (let depth = 1; depth < file.path.length; depth++) {
      const directory = file.path.slice(0, depth).join('/');
      if (filePaths.has(directory)) {
        throw new MetainfoError(fieldOf(index), `"${joined}" needs "${directory}" to be a directory, but it is a file`);
      }
      directories.add(directory);
    }
  });
}
