import { WebSeedError } from './web-seed-error';

/** Where one HTTP request goes. `path` is sent exactly as written (path and query, no fragment). */
export interface RequestTarget {
  readonly protocol: 'http:' | 'https:';
  /** Without IPv6 brackets, as node:http wants it. */
  readonly hostname: string;
  readonly port: number;
  readonly path: string;
  /** For messages and for resolving the next relative Location. */
  readonly url: string;
}

/**
 * The target of an absolute http(s) URL. The path and query are taken from the string as written, not
 * from WHATWG URL's re-serialisation, which re-encodes some query characters: a presigned S3 URL's
 * signature covers its query byte for byte.
 */
export function absoluteTarget(url: string): RequestTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new WebSeedError('bad-url', url, 'not a URL', { cause: error });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new WebSeedError('bad-url', url, `a ${parsed.protocol} URL; only http and https are fetched`);
  const rest = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(.*)$/is.exec(url.trim())?.[1] ?? '';
  return targetOf(parsed, rawPath(rest, encodeURIComponent));
}

/**
 * Where a redirect's Location points, seen from `current`. Relative references are resolved (RFC 3986),
 * but the query is kept exactly as the server wrote it. Only http and https are followed.
 */
export function redirectTarget(current: RequestTarget, location: string | undefined): RequestTarget {
  if (location === undefined || location.trim() === '') throw new WebSeedError('bad-redirect', current.url, 'a redirect without a Location');
  const reference = location.trim();
  let resolved: URL;
  try {
    resolved = new URL(reference, current.url);
  } catch (error) {
    throw new WebSeedError('bad-redirect', current.url, `a redirect to an invalid URL ${JSON.stringify(location)}`, { cause: error });
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') {
    throw new WebSeedError('bad-redirect', current.url, `a redirect to a ${resolved.protocol} URL, which is not followed`);
  }
  const withoutFragment = reference.split('#')[0];
  const queryAt = withoutFragment.indexOf('?');
  const rawQuery = queryAt < 0 ? '' : withoutFragment.slice(queryAt);
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith('//')) {
    const rest = /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*(.*)$/is.exec(reference)?.[1] ?? '';
    return targetOf(resolved, rawPath(rest, encodeLatin1));
  }
  if (reference.startsWith('/')) return targetOf(resolved, rawPath(withoutFragment, encodeLatin1));
  // A relative path or a bare query: the resolver's path (dot segments removed), the server's query.
  const path = queryAt === 0 ? current.path.split('?')[0] : resolved.pathname;
  return targetOf(resolved, rawPath(path + rawQuery, encodeLatin1));
}

function targetOf(url: URL, path: string): RequestTarget {
  const protocol = url.protocol as 'http:' | 'https:';
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port, path, url: `${protocol}//${url.host}${path}` };
}

/**
 * Path and query as written, minus the fragment; '/' when empty. Characters that cannot go on a request
 * line (controls, spaces, non-ASCII) are percent-encoded; every other byte, '%xx' escapes included, is
 * kept. `encode` says what a character is: Node hands header values over as latin1 (one char per byte),
 * url-list entries are Unicode text.
 */
function rawPath(rest: string, encode: (char: string) => string): string {
  const withoutFragment = rest.split('#')[0];
  const path = withoutFragment === '' ? '/' : withoutFragment.startsWith('?') ? `/${withoutFragment}` : withoutFragment;
  return path.replace(/[^\x21-\x7e]/gu, (char) => encode(char));
}

/** A header byte (a latin1 char) as its own %XX escape. */
function encodeLatin1(char: string): string {
  return `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}
