import type { ResolvedRequestOptions } from '../request-options';
import { withDeadline } from '../request-deadline';
import { TrackerError } from '../tracker-error';
import type { AnnounceParams, AnnounceResult, ScrapeResult } from '../types';
import { parseAnnounceResponse } from './announce-response';
import { type HttpAnswer, httpGet } from './http-get';
import { announceUrl, scrapeUrl } from './query-string';
import { parseScrapeResponse } from './scrape-response';

export function httpAnnounce(url: string, params: AnnounceParams, options: ResolvedRequestOptions): Promise<AnnounceResult> {
  return withDeadline(url, options.timeoutMs, options.signal, async (deadline) => {
    const answer = await httpGet(announceUrl(url, params), options, deadline);
    return parseAnswer(answer, url, (body) => parseAnnounceResponse(body, url, options.maxPeers));
  });
}

export function httpScrape(url: string, infoHashes: readonly Buffer[], options: ResolvedRequestOptions): Promise<ScrapeResult> {
  const target = scrapeUrl(url, infoHashes);
  if (target === undefined) {
    return Promise.reject(new TrackerError('unsupported-url', url, 'no path segment is "announce" (nor does the last one start with it), so there is no scrape URL (BEP 48)'));
  }
  return withDeadline(url, options.timeoutMs, options.signal, async (deadline) => {
    const answer = await httpGet(target, options, deadline);
    return parseAnswer(answer, url, (body) => parseScrapeResponse(body, url));
  });
}

/** A non-200 answer is an 'http-status' error, unless its body is a bencoded failure reason (more useful). */
function parseAnswer<T>(answer: HttpAnswer, url: string, parse: (body: Buffer) => T): T {
  if (answer.status === 200) return parse(answer.body);
  try {
    parse(answer.body);
  } catch (error) {
    if (error instanceof TrackerError && error.code === 'failure') {
      throw new TrackerError('failure', url, error.message, { status: answer.status });
    }
  }
  throw new TrackerError('http-status', url, `HTTP status ${answer.status}`, { status: answer.status });
}
