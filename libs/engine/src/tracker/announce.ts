import { checkAnnounceParams, checkHash } from './announce-params';
import { httpAnnounce, httpScrape } from './http/http-tracker';
import { resolveRequestOptions } from './request-options';
import { asTrackerError, TrackerError } from './tracker-error';
import type { AnnounceParams, AnnounceResult, ScrapeResult, TrackerRequestOptions } from './types';
import { udpAnnounce, udpScrape } from './udp/udp-tracker';

type Protocol = 'http' | 'udp';

/**
 * One announce to one tracker, http(s):// (BEP 3, 23, 7) or udp:// (BEP 15). Rejects only with
 * TrackerError; a tracker's `failure reason` is code 'failure'.
 */
export async function announce(url: string, params: AnnounceParams, options?: TrackerRequestOptions): Promise<AnnounceResult> {
  try {
    const protocol = protocolOf(url);
    checkAnnounceParams(url, params);
    const resolved = resolveRequestOptions(options);
    return await (protocol === 'http' ? httpAnnounce(url, params, resolved) : udpAnnounce(url, params, resolved));
  } catch (error) {
    throw asTrackerError(error, url);
  }
}

/** Seeders, leechers and completed counts for some info hashes (BEP 48 over HTTP, BEP 15 over UDP). */
export async function scrape(url: string, infoHashes: readonly Buffer[], options?: TrackerRequestOptions): Promise<ScrapeResult> {
  try {
    const protocol = protocolOf(url);
    for (const hash of infoHashes) checkHash(url, hash, 'info hash');
    const resolved = resolveRequestOptions(options);
    return await (protocol === 'http' ? httpScrape(url, infoHashes, resolved) : udpScrape(url, infoHashes, resolved));
  } catch (error) {
    throw asTrackerError(error, url);
  }
}

function protocolOf(url: string): Protocol {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'http';
  if (scheme === 'udp') return 'udp';
  throw new TrackerError('unsupported-url', url, `tracker URLs are http://, https:// or udp://, not "${url}"`);
}
