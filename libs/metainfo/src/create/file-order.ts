import { textKey } from '@seedfleet/bencode';
import type { TorrentVersion } from '../model';

/**
 * Files in the order their bytes go into the torrent.
 *
 * v1 follows mktorrent: strcmp of the whole '/'-joined path, so 'a.txt' < 'a/b' < 'a0'. That makes a v1
 * torrent of a directory hash like mktorrent's (libtorrent's v1-only creation keeps the directory listing
 * order, which is not deterministic).
 *
 * v2 and hybrid follow libtorrent 2.0 (file_storage::canonicalize): path component by component,
 * comparing each component's UTF-8 bytes: 'B' < 'a/b' < 'a b' < 'a.txt' < 'é' (a directory sorts where
 * its name would). Matching it is what makes our hybrid info hashes equal to libtorrent's.
 */
export function orderByVersion<T extends { path: readonly string[] }>(files: readonly T[], version: TorrentVersion): T[] {
  const keyed = files.map((file) => ({ file, key: orderKey(file.path, version) }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map(({ file }) => file);
}

/**
 * A string whose JavaScript order is the file's torrent order: the path's UTF-8 bytes, one char per byte
 * (latin1), so comparing strings compares bytes. v1 joins the components with '/'; v2 and hybrid with NUL,
 * which no name contains and which sorts below every byte, so a shorter component sorts first, as in a
 * component-by-component comparison.
 */
export function orderKey(path: readonly string[], version: TorrentVersion): string {
  return textKey(path.join(version === 'v1' ? '/' : '\0'));
}
