const announceQueryKeys = new Set(['info_hash', 'peer_id', 'port', 'uploaded', 'downloaded', 'left', 'corrupt', 'redundant', 'compact', 'no_peer_id', 'event', 'numwant', 'key', 'trackerid', 'supportcrypto', 'ip', 'ipv4', 'ipv6']);

/** The tracker a request went to, for logs: the announce parameters we added dropped, secrets hidden. */
export function trackerUrlForLog(requestUrl: string): string {
  if (!URL.canParse(requestUrl)) return requestUrl;
  const parsed = new URL(requestUrl);
  for (const key of [...parsed.searchParams.keys()]) if (announceQueryKeys.has(key)) parsed.searchParams.delete(key);
  return redacted(parsed);
}

const secretQueryKeys = new Set(['passkey', 'pk', 'authkey', 'auth', 'key', 'token', 'secret', 'uid']);

/**
 * A tracker URL fit for logs: private trackers put a per-user passkey in the path (`/announce/<passkey>`,
 * `/<passkey>/announce`) or the query (`?passkey=`), and whoever reads the log could announce as that user.
 * Path segments that look like secrets (16+ hex or base64url characters) and secret-named query values
 * become `***`; anything that does not parse as a URL is returned whole (it carries no structure to hide).
 */
export function redactTrackerUrl(url: string): string {
  return URL.canParse(url) ? redacted(new URL(url)) : url;
}

function redacted(parsed: URL): string {
  parsed.username = parsed.username ? '***' : '';
  parsed.password = parsed.password ? '***' : '';
  parsed.pathname = parsed.pathname
    .split('/')
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? '***' : segment))
    .join('/');
  for (const key of [...parsed.searchParams.keys()]) {
    if (secretQueryKeys.has(key.toLowerCase())) parsed.searchParams.set(key, '***');
  }
  return parsed.toString();
}
