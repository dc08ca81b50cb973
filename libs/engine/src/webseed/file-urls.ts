import type { Metainfo } from '@seedfleet/metainfo';
import { WebSeedError } from './web-seed-error';

/**
 * BEP 19: where each file of the torrent lives under a url-list entry.
 *
 * - single-file torrent: the URL is the file; a URL ending in '/' names a directory holding it, so the
 *   torrent name is appended (libtorrent and aria2 do the same).
 * - multi-file torrent: the URL is the root; a file is at URL + '/' + name + '/' + path.
 *
 * Every name and path component is percent-encoded on its own (encodeURIComponent keeps exactly the
 * unreserved set libtorrent keeps), so '/', '?', '#', '%' and spaces in names cannot change the URL's
 * structure. A query string on the base stays after the appended path.
 */
export function webSeedFileUrls(base: string, metainfo: Pick<Metainfo, 'name' | 'files' | 'info'>): string[] {
  checkBaseUrl(base);
  const queryAt = base.indexOf('?');
  const path = queryAt < 0 ? base : base.slice(0, queryAt);
  const query = queryAt < 0 ? '' : base.slice(queryAt);
  const single = isSingleFile(metainfo);
  return metainfo.files.map((file) => {
    if (single) return path.endsWith('/') ? `${path}${encode(metainfo.name, base)}${query}` : base;
    const components = [metainfo.name, ...file.path].map((component) => encode(component, base));
    return `${path}${path.endsWith('/') ? '' : '/'}${components.join('/')}${query}`;
  });
}

/**
 * A v1 info dict with `length` (no `files` list) is a single-file torrent. A v2-only torrent has neither:
 * it is single-file when its file tree holds one file at the top level (BEP 52).
 */
function isSingleFile(metainfo: Pick<Metainfo, 'files' | 'info'>): boolean {
  if (metainfo.info.has('files')) return false;
  if (metainfo.info.has('length')) return true;
  return metainfo.files.length === 1 && metainfo.files[0].path.length === 1;
}

function checkBaseUrl(base: string): void {
  let url: URL;
  try {
    url = new URL(base);
  } catch (error) {
    throw new WebSeedError('bad-url', base, 'not a URL', { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebSeedError('bad-url', base, `a ${url.protocol} URL; only http and https are fetched`);
}

function encode(component: string, base: string): string {
  try {
    return encodeURIComponent(component);
  } catch (error) {
    throw new WebSeedError('bad-url', base, `file name ${JSON.stringify(component)} cannot be percent-encoded`, { cause: error });
  }
}
