/**
 * Files in the order their bytes go into the torrent, each path encoded once (not at every comparison).
 *
 * v1 follows mktorrent: strcmp of the whole '/'-joined path, so 'a.txt' < 'a/b' < 'a0'. That makes a v1
 * torrent of a directory hash like mktorrent's (libtorrent's v1-only creation keeps the directory listing
 * order, which is not deterministic).
 *
 * v2 and hybrid follow libtorrent 2.0 (file_storage::canonicalize): path component by component,
 * comparing each component's UTF-8 bytes: 'B' < 'a/b' < 'a b' < 'a.txt' < 'é' (a directory sorts where
 * its name would). Matching it is what makes our hybrid info hashes equal to libtorrent's.
 */
export function orderByVersion<T extends { path: readonly string[] }>(files: readonly T[], version: 'v1' | 'v2' | 'hybrid'): T[] {
  if (version === 'v1') {
    const keyed = files.map((file) => ({ file, key: utf8(file.path.join('/')) }));
    return keyed.sort((a, b) => Buffer.compare(a.key, b.key)).map(({ file }) => file);
  }
  const keyed = files.map((file) => ({ file, key: file.path.map(utf8) }));
  return keyed.sort((a, b) => compareComponents(a.key, b.key)).map(({ file }) => file);
}

function compareComponents(left: readonly Buffer[], right: readonly Buffer[]): number {
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const order = Buffer.compare(left[i], right[i]);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}
