/**
 * libtorrent 2.0 (file_storage::canonicalize, used for v2 and hybrid torrents) orders files by path
 * component by component, comparing each component's UTF-8 bytes: 'B' < 'a/b' < 'a b' < 'a.txt' < 'é'
 * (a directory sorts where its name would). Matching it is what makes our hybrid info hashes
 * equal to libtorrent's for the same content.
 */
export function compareComponentwise(left: readonly string[], right: readonly string[]): number {
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    const order = Buffer.compare(Buffer.from(left[i], 'utf8'), Buffer.from(right[i], 'utf8'));
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

/**
 * mktorrent orders files by strcmp of the whole '/'-joined path, so 'a.txt' < 'a/b' < 'a0'. v1 torrents
 * use it, which makes a v1 torrent of a directory hash like mktorrent's (libtorrent's v1-only creation
 * keeps the directory listing order, which is not deterministic).
 */
export function compareJoinedPaths(left: readonly string[], right: readonly string[]): number {
  return Buffer.compare(Buffer.from(left.join('/'), 'utf8'), Buffer.from(right.join('/'), 'utf8'));
}

/** Files in the order their bytes go into the torrent: mktorrent's for v1, libtorrent's for v2 and hybrid. */
export function orderByVersion<T extends { path: readonly string[] }>(files: readonly T[], version: 'v1' | 'v2' | 'hybrid'): T[] {
  return [...files].sort((a, b) => (version === 'v1' ? compareJoinedPaths(a.path, b.path) : compareComponentwise(a.path, b.path)));
}
