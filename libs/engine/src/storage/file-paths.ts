import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Metainfo, TorrentFile } from '@seedfleet/metainfo';
import { StorageError } from './piece-store';

/** A torrent file that lives on disk (pad files and symlinks never do). */
export interface StoredFile {
  /** Index in `metainfo.files`, as pieceSpans names it. */
  readonly fileIndex: number;
  /** Where it is: below the download directory. */
  readonly absolutePath: string;
  /** The same, relative to the download directory with '/' separators (as resume data records it). */
  readonly relativePath: string;
  readonly length: number;
  readonly executable: boolean;
}

/**
 * Where each file of the torrent goes: `directory/<name>` for a single-file torrent and
 * `directory/<name>/<path...>` for a multi-file one, the layout every client uses. The metainfo parser
 * already refuses '..' and separators; this checks again on the resolved paths, because a path
 * escaping the directory would be a write anywhere on disk.
 * Returns one entry per metainfo file, undefined for those never stored (pads, symlinks).
 */
export function storedFiles(metainfo: Metainfo, directory: string): (StoredFile | undefined)[] {
  const root = resolve(directory);
  const single = isSingleFile(metainfo);
  return metainfo.files.map((file, fileIndex) => {
    if (file.pad || file.symlinkPath !== undefined) return undefined;
    const components = single ? file.path : [metainfo.name, ...file.path];
    const absolutePath = safeJoin(root, components);
    return {
      fileIndex,
      absolutePath,
      relativePath: relative(root, absolutePath).split(sep).join('/'),
      length: file.length,
      executable: file.attributes.includes('x'),
    };
  });
}

/** v1/hybrid: no `files` list in the info dict; v2: one file at the root of the file tree. */
function isSingleFile(metainfo: Metainfo): boolean {
  if (metainfo.version === 'v2') return metainfo.files.length === 1 && metainfo.files[0].path.length === 1;
  return !metainfo.info.has('files');
}

function safeJoin(root: string, components: TorrentFile['path']): string {
  for (const component of components) {
    if (component === '' || component === '.' || component === '..' || /[/\\\0]/.test(component)) {
      throw new StorageError('unsafe-path', `torrent path component ${JSON.stringify(component)} is not a plain file name`);
    }
  }
  const path = resolve(join(root, ...components));
  const below = relative(root, path);
  if (below === '' || below === '..' || below.startsWith(`..${sep}`) || isAbsolute(below)) {
    throw new StorageError('unsafe-path', `torrent path ${components.join('/')} resolves outside ${root}`, path);
  }
  return path;
}
