import { failure, httpStatusOf, isFailure, type TrackerFailure } from '../core/failure';
import type { Tracker } from '../core/tracker';
import { PASSKEY_PATTERN } from '../store/swarm-store';
import { parseAnnounceQuery } from './announce-query';
import { clientAddress, trustedProxySet } from './client-address';
import { encodeAnnounceReply, encodeFailure, encodeScrapeReply } from './encode-replies';
import { parseRawQuery } from './query-string';

export interface HttpTrackerRequest {
  /** Path and query exactly as received (`req.url`): info hashes must be read from the raw bytes. */
  readonly url: string;
  readonly socketAddress: string | undefined;
  readonly forwardedFor: string | undefined;
}

export interface HttpTrackerResponse {
  readonly status: number;
  readonly body: Buffer;
}

export interface HttpTrackerOptions {
  /** Addresses of load balancers whose `ip=` / X-Forwarded-For are believed. */
  readonly trustedProxies: readonly string[];
  /** Longer request targets are refused with 414 before parsing. */
  readonly maxUrlLength: number;
  readonly maxQueryParameters: number;
}

export const DEFAULT_HTTP_TRACKER_OPTIONS: HttpTrackerOptions = { trustedProxies: [], maxUrlLength: 8192, maxQueryParameters: 128 };

export const TRACKER_CONTENT_TYPE = 'text/plain';

type Route = { readonly kind: 'announce' | 'scrape'; readonly passkey: string | undefined };

/**
 * The HTTP tracker as a function from request to response, shared by the Nest controller and the plain
 * node:http server. It never throws: bad input is a bencoded failure with a 4xx, a store outage a 503.
 */
export class HttpTracker {
  private readonly trustedProxies: ReadonlySet<string>;

  constructor(
    private readonly tracker: Tracker,
    private readonly options: HttpTrackerOptions = DEFAULT_HTTP_TRACKER_OPTIONS,
  ) {
    this.trustedProxies = trustedProxySet(options.trustedProxies);
  }

  async handle(request: HttpTrackerRequest): Promise<HttpTrackerResponse> {
    try {
      const outcome = await this.answer(request);
      return isFailure(outcome) ? { status: httpStatusOf(outcome), body: encodeFailure(outcome) } : { status: 200, body: outcome };
    } catch {
      const outage = failure('unavailable', 'tracker temporarily unavailable, retry later');
      return { status: httpStatusOf(outage), body: encodeFailure(outage) };
    }
  }

  private async answer(request: HttpTrackerRequest): Promise<Buffer | TrackerFailure> {
    if (request.url.length > this.options.maxUrlLength) return failure('request-too-large', `request target longer than ${this.options.maxUrlLength} bytes`);
    const mark = request.url.indexOf('?');
    const route = this.route(mark < 0 ? request.url : request.url.slice(0, mark));
    if (isFailure(route)) return route;
    const query = parseRawQuery(mark < 0 ? '' : request.url.slice(mark + 1), this.options.maxQueryParameters);
    if (isFailure(query)) return query;
    if (route.kind === 'scrape') {
      const infoHashes = query.get('info_hash') ?? [];
      if (infoHashes.some((hash) => hash.length !== 20)) return failure('malformed-request', 'each info_hash must be 20 bytes');
      const reply = await this.tracker.scrape(infoHashes.map((hash) => Buffer.from(hash, 'latin1')), route.passkey);
      return isFailure(reply) ? reply : encodeScrapeReply(reply);
    }
    const announce = parseAnnounceQuery(query);
    if (isFailure(announce)) return announce;
    const address = clientAddress({ socketAddress: request.socketAddress, forwardedFor: request.forwardedFor, ipParameter: announce.ip, port: announce.port }, this.trustedProxies);
    if (!address) return failure('malformed-request', 'cannot tell the client address');
    const reply = await this.tracker.announce({
      infoHash: announce.infoHash,
      peerId: announce.peerId,
      address,
      event: announce.event,
      seeder: announce.left === 0,
      numWant: this.tracker.numWant(announce.numWant),
      passkey: route.passkey,
    });
    return isFailure(reply) ? reply : encodeAnnounceReply(reply, announce);
  }

  /** /announce, /scrape, and in private mode /announce/<passkey>, /scrape/<passkey>. */
  private route(path: string): Route | TrackerFailure {
    const match = /^\/(announce|scrape)(?:\/([^/]*))?\/?$/.exec(path);
    if (!match) return failure('not-found', 'no such tracker endpoint: use /announce or /scrape');
    const kind = match[1] as Route['kind'];
    if (!this.tracker.isPrivate || match[2] === undefined || match[2] === '') return { kind, passkey: undefined };
    if (!PASSKEY_PATTERN.test(match[2])) return failure('unknown-passkey', 'unknown passkey: use the announce URL from your own torrent file');
    return { kind, passkey: match[2] };
  }
}
