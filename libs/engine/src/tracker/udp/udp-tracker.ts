import type { ResolvedRequestOptions } from '../request-options';
import { withDeadline } from '../request-deadline';
import { TrackerError } from '../tracker-error';
import type { AnnounceParams, AnnounceResult, ScrapeResult } from '../types';
import { uniquePeers } from '../unique-peers';
import type { UdpConnection } from './connection-cache';
import {
  encodeAnnounce,
  encodeConnect,
  encodeScrape,
  parseAnnounceResponse,
  parseConnectResponse,
  parseErrorMessage,
  parseScrapeResponse,
  readHeader,
  UDP_MAX_SCRAPE_HASHES,
  UdpAction,
} from './udp-messages';
import { EXPIRED, UdpTrackerSocket } from './udp-socket';

export function udpAnnounce(url: string, params: AnnounceParams, options: ResolvedRequestOptions): Promise<AnnounceResult> {
  return withUdpTracker(url, options, async (session) => {
    const packet = await session.request(UdpAction.announce, (id, transactionId) => encodeAnnounce(id, transactionId, params));
    const answer = parseAnnounceResponse(packet, session.socket.family, options.maxPeers, url);
    return { interval: answer.interval, peers: uniquePeers(answer.peers), complete: answer.seeders, incomplete: answer.leechers };
  });
}

export function udpScrape(url: string, infoHashes: readonly Buffer[], options: ResolvedRequestOptions): Promise<ScrapeResult> {
  if (infoHashes.length > UDP_MAX_SCRAPE_HASHES) {
    return Promise.reject(new TrackerError('bad-params', url, `a UDP scrape holds at most ${UDP_MAX_SCRAPE_HASHES} info hashes`));
  }
  return withUdpTracker(url, options, async (session) => {
    const packet = await session.request(UdpAction.scrape, (id, transactionId) => encodeScrape(id, transactionId, infoHashes));
    const counts = parseScrapeResponse(packet, infoHashes.length, url);
    return new Map(infoHashes.map((hash, index) => [hash.toString('hex'), counts[index]]));
  });
}

async function withUdpTracker<T>(url: string, options: ResolvedRequestOptions, work: (session: UdpTrackerSession) => Promise<T>): Promise<T> {
  const { host, port } = udpTarget(url);
  return withDeadline(url, options.timeoutMs, options.signal, async (deadline) => {
    const policy = { baseMs: options.udpRetransmitBaseMs, maxRetransmits: options.udpMaxRetransmits };
    const socket = await UdpTrackerSocket.open(url, host, port, deadline, policy);
    try {
      return await work(new UdpTrackerSession(socket, options, url));
    } finally {
      socket.close();
    }
  });
}

/** BEP 15 over one socket: connect (or reuse a connection id younger than a minute), then the request. */
class UdpTrackerSession {
  constructor(
    readonly socket: UdpTrackerSocket,
    private readonly options: ResolvedRequestOptions,
    private readonly url: string,
  ) {}

  async request(action: number, build: (connectionId: Buffer, transactionId: number) => Buffer): Promise<Buffer> {
    const cache = this.options.udpConnections;
    let retriedAfterError = false;
    for (;;) {
      const cached = cache.get(this.socket.key);
      const connection = cached ?? (await this.connect());
      const packet = await this.socket.exchange(
        (transactionId) => build(connection.id, transactionId),
        () => !cache.expired(connection),
      );
      if (packet === EXPIRED) {
        cache.forget(this.socket.key);
        continue;
      }
      const header = readHeader(packet)!;
      if (header.action === UdpAction.error) {
        cache.forget(this.socket.key);
        // A reused id may have been dropped by a restarted tracker: one more try with a fresh one.
        if (cached !== undefined && !retriedAfterError) {
          retriedAfterError = true;
          continue;
        }
        throw new TrackerError('failure', this.url, `the tracker refused: ${parseErrorMessage(packet)}`);
      }
      if (header.action !== action) throw new TrackerError('bad-response', this.url, `expected action ${action}, got ${header.action}`);
      return packet;
    }
  }

  private async connect(): Promise<UdpConnection> {
    const packet = (await this.socket.exchange(encodeConnect)) as Buffer;
    const header = readHeader(packet)!;
    if (header.action === UdpAction.error) throw new TrackerError('failure', this.url, `the tracker refused to connect: ${parseErrorMessage(packet)}`);
    if (header.action !== UdpAction.connect) throw new TrackerError('bad-response', this.url, `expected a connect answer, got action ${header.action}`);
    return this.options.udpConnections.remember(this.socket.key, parseConnectResponse(packet, this.url));
  }
}

function udpTarget(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new TrackerError('unsupported-url', url, `"${url}" is not a URL`, { cause: error });
  }
  const port = Number(parsed.port);
  if (parsed.hostname === '' || !Number.isInteger(port) || port <= 0) throw new TrackerError('unsupported-url', url, 'a UDP tracker URL needs a host and a port');
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
