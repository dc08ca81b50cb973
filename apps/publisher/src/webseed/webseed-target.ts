import { type ReleaseFile, releaseKeys, type StoredRelease } from '../releases/release.model';

/** What a web-seed URL names: a file of a ready release, or why there is nothing to serve. */
export type WebSeedTarget =
  | { readonly kind: 'file'; readonly key: string; readonly size: number; readonly etag: string; readonly lastModified: Date }
  | { readonly kind: 'absent'; readonly status: 404 | 410; readonly message: string };

/** `/webseed/<releaseId>/<torrentName>[/<path...>]` split into decoded segments, or undefined if malformed. */
export function webSeedSegments(requestUrl: string): { releaseId: string; segments: string[] } | undefined {
  const mark = requestUrl.search(/[?#]/);
  const path = mark < 0 ? requestUrl : requestUrl.slice(0, mark);
  const raw = path.split('/');
  // ['', 'webseed', id, name, ...path]
  if (raw[0] !== '' || raw[1] !== 'webseed' || raw.length < 4) return undefined;
  const decoded: string[] = [];
  for (const segment of raw.slice(2)) {
    try {
      decoded.push(decodeURIComponent(segment));
    } catch {
      return undefined;
    }
  }
  return { releaseId: decoded[0], segments: decoded.slice(1) };
}

/**
 * Maps the segments after the release id to one of the release's files, and only to one of them: the URL
 * is compared with the file list, never turned into a storage key itself, so `..`, encoded slashes or
 * absolute paths cannot reach anything else. BEP 19: a multi-file torrent's file is at
 * `<url-list>/<name>/<path>`, a single-file torrent's at `<url-list>/<name>` (so a release of one file
 * answers both forms).
 */
export function webSeedTarget(release: StoredRelease | undefined, segments: readonly string[]): WebSeedTarget {
  if (release === undefined) return { kind: 'absent', status: 404, message: 'no such release' };
  if (release.status === 'retired') return { kind: 'absent', status: 410, message: `release ${release.id} is retired` };
  if (release.status !== 'ready') return { kind: 'absent', status: 404, message: `release ${release.id} is not ready (${release.status})` };
  const [name, ...rest] = segments;
  if (name !== release.torrentName) return { kind: 'absent', status: 404, message: `release ${release.id} has no torrent named ${JSON.stringify(name)}` };
  const file = rest.length === 0 ? (release.files.length === 1 ? release.files[0] : undefined) : filesByPath(release).get(rest.join('/'));
  if (file === undefined) return { kind: 'absent', status: 404, message: `release ${release.id} has no such file` };
  return {
    kind: 'file',
    key: releaseKeys.file(release.id, file.path),
    size: file.size,
    etag: `"${file.sha256}"`,
    // Files never change once a release is ready; the build's end is when they became what they are.
    lastModified: new Date(release.build?.finishedAt ?? release.createdAt),
  };
}

/** Per record (the catalog hands out the same object while it is cached): path -> file, for big releases. */
const fileIndexes = new WeakMap<StoredRelease, Map<string, ReleaseFile>>();

function filesByPath(release: StoredRelease): Map<string, ReleaseFile> {
  let index = fileIndexes.get(release);
  if (!index) {
    index = new Map(release.files.map((file) => [file.path, file]));
    fileIndexes.set(release, index);
  }
  return index;
}
