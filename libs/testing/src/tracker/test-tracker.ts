import { encode, type BEncodable } from '@seedfleet/bencode';
import { encodeCompactPeers, encodeIp } from '@seedfleet/wire';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRawQuery } from './raw-query';
import { TestSwarms, type TestTrackerPeer } from './test-swarms';

export interface TestTrackerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Seconds, sent as `interval` (default 1800). */
  readonly interval?: number;
  /** Seconds, sent as `min interval` when set. */
  readonly minInterval?: number;
}

export interface RecordedAnnounce {
  /** Lower-case hex. */
  readonly infoHash: string;
  readonly peerId: Buffer;
  readonly port: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
  readonly event?: string;
  readonly numwant?: number;
  readonly compact: boolean;
  readonly key?: string;
  readonly trackerId?: string;
  /** The address the request came from; peers are handed out under it. */
  readonly address: string;
}

export interface TestTracker {
  /** http://host:port/announce */
  readonly url: string;
  readonly port: number;
  /** Every valid announce, oldest first. */
  readonly announces: readonly RecordedAnnounce[];
  /** Peers currently in the swarm of `infoHashHex`. */
  peers(infoHashHex: string): TestTrackerPeer[];
  /** Resolves with the first announce, past or future, that matches; rejects after `timeoutMs` (default 5 s). */
  waitForAnnounce(predicate?: (announce: RecordedAnnounce) => boolean, timeoutMs?: number): Promise<RecordedAnnounce>;
  /** From now on answer every announce with this failure reason (undefined: answer normally again). */
  refuse(reason: string | undefined): void;
  close(): Promise<void>;
}

/**
 * A minimal in-process HTTP tracker for tests: compact (BEP 23, with BEP 7 peers6) and dictionary answers,
 * records announces, hands each peer the others of its swarm. No persistence, no limits: tests only.
 */
export async function startTestTracker(options: TestTrackerOptions = {}): Promise<TestTracker> {
  const host = options.host ?? '127.0.0.1';
  const swarms = new TestSwarms();
  const announces: RecordedAnnounce[] = [];
  const waiters = new Set<(announce: RecordedAnnounce) => void>();
  let refusal: string | undefined;

  const answer = (response: ServerResponse, body: BEncodable, status = 200): void => {
    response.writeHead(status, { 'content-type': 'text/plain' }).end(encode(body));
  };

  const onAnnounce = (request: IncomingMessage, response: ServerResponse): void => {
    const recorded = readAnnounce(request);
    if (typeof recorded === 'string') return answer(response, { 'failure reason': recorded });
    if (refusal !== undefined) return answer(response, { 'failure reason': refusal });
    announces.push(recorded);
    for (const waiter of [...waiters]) waiter(recorded);
    swarms.update(recorded.infoHash, { host: recorded.address, port: recorded.port, peerId: recorded.peerId, left: recorded.left }, recorded.event);
    const others = swarms.others(recorded.infoHash, recorded.peerId, recorded.numwant ?? 50);
    answer(response, {
      interval: options.interval ?? 1800,
      'min interval': options.minInterval,
      ...swarms.counts(recorded.infoHash),
      ...(recorded.compact ? compactPeerFields(others) : { peers: others.map((peer) => ({ ip: peer.host, port: peer.port, 'peer id': peer.peerId })) }),
    });
  };

  const onScrape = (request: IncomingMessage, response: ServerResponse): void => {
    const hashes = parseRawQuery(request.url ?? '').get('info_hash') ?? [];
    const files = new Map<Buffer, BEncodable>();
    for (const hash of hashes) files.set(hash, { ...swarms.counts(hash.toString('hex')), downloaded: 0 });
    answer(response, { files });
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path === '/announce') onAnnounce(request, response);
    else if (path === '/scrape') onScrape(request, response);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/announce`,
    port,
    announces,
    peers: (infoHashHex) => swarms.peers(infoHashHex.toLowerCase()),
    refuse: (reason) => {
      refusal = reason;
    },
    waitForAnnounce: (predicate = () => true, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const past = announces.find(predicate);
        if (past !== undefined) return resolve(past);
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching announce within ${timeoutMs} ms (${announces.length} announces seen)`));
        }, timeoutMs);
        const waiter = (announce: RecordedAnnounce): void => {
          if (!predicate(announce)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(announce);
        };
        waiters.add(waiter);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function compactPeerFields(peers: readonly TestTrackerPeer[]): { peers: Buffer; peers6?: Buffer } {
  const v4 = peers.filter((peer) => encodeIp(peer.host).length === 4);
  const v6 = peers.filter((peer) => encodeIp(peer.host).length === 16);
  return v6.length > 0 ? { peers: encodeCompactPeers(v4, 'ipv4'), peers6: encodeCompactPeers(v6, 'ipv6') } : { peers: encodeCompactPeers(v4, 'ipv4') };
}

/** The announce in a request, or the failure reason a real tracker would give for a broken one. */
function readAnnounce(request: IncomingMessage): RecordedAnnounce | string {
  const query = parseRawQuery(request.url ?? '');
  const bytes = (name: string): Buffer | undefined => query.get(name)?.[0];
  const text = (name: string): string | undefined => bytes(name)?.toString('latin1');
  const number = (name: string): number | undefined => {
    const value = text(name);
    return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  const infoHash = bytes('info_hash');
  const peerId = bytes('peer_id');
  const port = number('port');
  if (infoHash?.length !== 20) return 'info_hash must be 20 bytes';
  if (peerId?.length !== 20) return 'peer_id must be 20 bytes';
  if (port === undefined || port > 0xffff) return 'port is missing or invalid';
  const remote = request.socket.remoteAddress ?? '127.0.0.1';
  return {
    infoHash: infoHash.toString('hex'),
    peerId: Buffer.from(peerId),
    port,
    uploaded: number('uploaded') ?? 0,
    downloaded: number('downloaded') ?? 0,
    left: number('left') ?? 0,
    event: text('event') || undefined,
    numwant: number('numwant'),
    compact: text('compact') === '1',
    key: text('key'),
    trackerId: text('trackerid'),
    address: remote.startsWith('::ffff:') ? remote.slice(7) : remote,
  };
}
