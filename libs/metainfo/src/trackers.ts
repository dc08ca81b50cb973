import type { BDict, BValue } from '@seedfleet/bencode';
import { lenientText } from './text';

/**
 * BEP 12 tiers: `announce-list` when it has any usable URL, else `announce` as one tier. Like libtorrent,
 * entries that are not strings or are blank are dropped rather than failing the torrent; a URL is kept
 * only in the first tier that lists it.
 */
export function readAnnounce(torrent: BDict): string[][] {
  const seen = new Set<string>();
  const tiers: string[][] = [];
  const announceList = torrent.get('announce-list');
  if (Array.isArray(announceList)) {
    for (const tier of announceList) {
      if (!Array.isArray(tier)) continue;
      const urls = uniqueUrls(tier, seen);
      if (urls.length > 0) tiers.push(urls);
    }
  }
  if (tiers.length > 0) return tiers;
  const single = uniqueUrls([torrent.get('announce')], seen);
  return single.length > 0 ? [single] : [];
}

/** BEP 19 `url-list`: one URL or a list of them. */
export function readUrlList(torrent: BDict): string[] {
  const urlList = torrent.get('url-list');
  return uniqueUrls(Array.isArray(urlList) ? urlList : [urlList], new Set());
}

function uniqueUrls(values: (BValue | undefined)[], seen: Set<string>): string[] {
  const urls: string[] = [];
  for (const value of values) {
    if (!Buffer.isBuffer(value)) continue;
    const url = lenientText(value).trim();
    if (url.length === 0 || seen.has(url)) continue;
    seen.add(url);
    urls.push(url);
  }
  return urls;
}
