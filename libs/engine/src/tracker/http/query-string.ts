import type { AnnounceParams } from '../types';

const unreserved = /[A-Za-z0-9\-._~]/;

/** RFC 3986 percent-encoding of raw bytes, as BEP 3 wants for info_hash and peer_id. */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && unreserved.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The announce query (BEP 3, BEP 23 compact=1), appended to whatever query the URL already has (passkeys). */
export function announceUrl(trackerUrl: string, params: AnnounceParams): string {
  const fields: [string, string][] = [
    ['info_hash', percentEncodeBytes(params.infoHash)],
    ['peer_id', percentEncodeBytes(params.peerId)],
    ['port', String(params.port)],
    ['uploaded', String(params.uploaded)],
    ['downloaded', String(params.downloaded)],
    ['left', String(params.left)],
    ['compact', '1'],
  ];
  if (params.event !== undefined) fields.push(['event', params.event]);
  if (params.numwant !== undefined) fields.push(['numwant', String(params.numwant)]);
  if (params.key !== undefined) fields.push(['key', params.key.toString(16).padStart(8, '0')]);
  if (params.trackerId !== undefined) fields.push(['trackerid', percentEncodeBytes(Buffer.from(params.trackerId, 'latin1'))]);
  return appendQuery(trackerUrl, fields);
}

/**
 * BEP 48: the scrape URL replaces `announce` at the start of the last path segment. Private trackers put a
 * passkey after it (`/announce/<passkey>`, our tracker's form): then the last segment that is exactly
 * `announce` becomes `scrape`. Without either there is no scrape URL.
 */
export function scrapeUrl(trackerUrl: string, infoHashes: readonly Buffer[]): string | undefined {
  const [beforeQuery, ...rest] = withoutFragment(trackerUrl).split('?');
  const base = scrapePath(beforeQuery);
  if (base === undefined) return undefined;
  const withQuery = rest.length > 0 ? `${base}?${rest.join('?')}` : base;
  return appendQuery(
    withQuery,
    infoHashes.map((hash) => ['info_hash', percentEncodeBytes(hash)]),
  );
}

function scrapePath(url: string): string | undefined {
  const slash = url.lastIndexOf('/');
  if (url.startsWith('announce', slash + 1)) return `${url.slice(0, slash + 1)}scrape${url.slice(slash + 1 + 'announce'.length)}`;
  const pathStart = url.indexOf('/', url.indexOf('//') + 2);
  if (pathStart < 0) return undefined;
  const segments = url.slice(pathStart).split('/');
  const at = segments.lastIndexOf('announce');
  if (at < 0) return undefined;
  segments[at] = 'scrape';
  return `${url.slice(0, pathStart)}${segments.join('/')}`;
}

function appendQuery(url: string, fields: readonly [string, string][]): string {
  const base = withoutFragment(url);
  const query = fields.map(([name, value]) => `${name}=${value}`).join('&');
  if (query === '') return base;
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${query}`;
}

function withoutFragment(url: string): string {
  const hashAt = url.indexOf('#');
  return hashAt < 0 ? url : url.slice(0, hashAt);
}
