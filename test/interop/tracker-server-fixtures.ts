import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { get } from 'node:http';
import { isIPv6 } from 'node:net';
import { decode, type BDict, type BValue } from '@seedfleet/bencode';
import { DEFAULT_HTTP_TRACKER_OPTIONS, DEFAULT_TRACKER_OPTIONS, RedisSwarmStore, sharedTrackerSecret, startTrackerServers, type HttpTrackerOptions, type TrackerOptions, type TrackerServers } from '@seedfleet/tracker';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, ioredisPort } from '../../apps/publisher/src/tracker/ioredis-port';

/** The local Redis the suite runs against; every test uses a key prefix of its own and deletes it. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

export function uniquePrefix(name: string): string {
  return `seedfleet-test:${name}:${randomBytes(6).toString('hex')}:`;
}

export interface TrackerUnderTest extends TrackerServers {
  readonly store: RedisSwarmStore;
  readonly redis: Redis;
  /** Closes the servers and the Redis connection; keys are left for `cleanupPrefix`. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly keyPrefix: string;
  readonly tracker?: Partial<TrackerOptions>;
  readonly http?: Partial<HttpTrackerOptions>;
  readonly peerTtlMs?: number;
  readonly host?: string;
  /** Default: the suite's shared Redis. */
  readonly redisUrl?: string;
  /** How the client retries a lost connection (default: ioredis's, forever). */
  readonly retryStrategy?: (attempt: number) => number | null;
}

/** One tracker replica: its own Redis connection, store, answer cache, HTTP and UDP sockets. */
export async function startTracker(options: StartOptions): Promise<TrackerUnderTest> {
  // Few retries: during a Redis outage the tracker should answer 503 soon rather than queue requests.
  const redis = new Redis(options.redisUrl ?? REDIS_URL, { maxRetriesPerRequest: 1, ...(options.retryStrategy && { retryStrategy: options.retryStrategy }) });
  const port = ioredisPort(redis);
  const store = new RedisSwarmStore(port, { keyPrefix: options.keyPrefix, peerTtlMs: options.peerTtlMs ?? 60_000 });
  const servers = await startTrackerServers({
    store,
    tracker: { ...DEFAULT_TRACKER_OPTIONS, access: { kind: 'open' }, ...options.tracker },
    http: { ...DEFAULT_HTTP_TRACKER_OPTIONS, ...options.http },
    host: options.host ?? '::',
    httpPort: 0,
    udpPort: 0,
    udpSecret: await sharedTrackerSecret(port, options.keyPrefix),
  });
  return {
    ...servers,
    store,
    redis,
    stop: async () => {
      await servers.close();
      // QUIT needs a live connection; without one, disconnect() stops the reconnection attempts (and
      // leaves a 2 s timer of ioredis's behind, so it is skipped for a client that already ended).
      if (redis.status === 'ready') await redis.quit();
      else if (redis.status !== 'end') redis.disconnect();
    },
  };
}

export async function cleanupPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    await redis.quit();
  }
}

export function escapeBytes(bytes: Buffer): string {
  return [...bytes].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

export function peerIdOf(n: number): Buffer {
  return Buffer.from(`-SF0001-${String(n).padStart(12, '0')}`);
}

export interface AnnounceParameters {
  readonly infoHash: Buffer;
  readonly peer: number;
  readonly port?: number;
  readonly left?: number;
  readonly event?: string;
  readonly numwant?: number;
  readonly compact?: 0 | 1;
  readonly extra?: string;
}

export function announceQuery(parameters: AnnounceParameters): string {
  const parts = [
    `info_hash=${escapeBytes(parameters.infoHash)}`,
    `peer_id=${escapeBytes(peerIdOf(parameters.peer))}`,
    `port=${parameters.port ?? 6000 + parameters.peer}`,
    'uploaded=0',
    'downloaded=0',
    `left=${parameters.left ?? 1000}`,
  ];
  if (parameters.event !== undefined) parts.push(`event=${parameters.event}`);
  if (parameters.numwant !== undefined) parts.push(`numwant=${parameters.numwant}`);
  if (parameters.compact !== undefined) parts.push(`compact=${parameters.compact}`);
  if (parameters.extra) parts.push(parameters.extra);
  return parts.join('&');
}

export interface TrackerHttpReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: BDict;
}

/** One GET on a fresh connection (no keep-alive pool left behind to hold the test process open). */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<TrackerHttpReply> {
  return new Promise((resolveReply, reject) => {
    get(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        try {
          const body = decode(Buffer.concat(chunks)).value as BDict;
          resolveReply({ status: response.statusCode ?? 0, contentType: response.headers['content-type'] ?? null, body });
        } catch (error) {
          reject(error);
        }
      });
    }).on('error', reject);
  });
}

/** http://host:port/announce with a loopback of the wanted family (the servers listen on ::, dual stack). */
export function baseUrl(tracker: TrackerServers, family: 4 | 6 = 4): string {
  return `http://${family === 4 ? '127.0.0.1' : '[::1]'}:${tracker.http.port}`;
}

export function compactPeers(value: BValue | undefined, entryLength: 6 | 18): { ip: string; port: number }[] {
  const bytes = value as Buffer;
  const peers: { ip: string; port: number }[] = [];
  for (let offset = 0; offset + entryLength <= bytes.length; offset += entryLength) {
    const entry = bytes.subarray(offset, offset + entryLength);
    const ip = entryLength === 6 ? [...entry.subarray(0, 4)].join('.') : ipv6Text(entry.subarray(0, 16));
    peers.push({ ip, port: entry.readUInt16BE(entryLength - 2) });
  }
  return peers;
}

function ipv6Text(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** A BEP 15 client over a real socket: sends a datagram, waits for the reply with the same transaction id. */
export class UdpTrackerClient {
  private readonly socket: Socket;
  private nextTransaction = 1;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
  }

  async request(message: Buffer, timeoutMs = 3000): Promise<Buffer> {
    const transactionId = message.readUInt32BE(12);
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => {
        this.socket.off('message', listener);
        reject(new Error(`no UDP reply within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (reply: Buffer) => {
        if (reply.length < 8 || reply.readUInt32BE(4) !== transactionId) return;
        clearTimeout(timer);
        this.socket.off('message', listener);
        resolveReply(reply);
      };
      this.socket.on('message', listener);
      this.socket.send(message, this.port, this.host);
    });
  }

  /**
   * Sends `ignored` and then `followUp`, and resolves to the first reply that arrives: the follow-up's
   * reply proves the first datagram got none, without waiting for a silence to last.
   */
  async firstReplyAfter(ignored: Buffer, followUp: Buffer): Promise<Buffer> {
    const first = new Promise<Buffer>((resolveReply) => this.socket.once('message', resolveReply));
    this.socket.send(ignored, this.port, this.host);
    const answered = this.request(followUp);
    const reply = await first;
    await answered;
    return reply;
  }

  transaction(): number {
    return this.nextTransaction++;
  }

  async connect(): Promise<Buffer> {
    const message = Buffer.alloc(16);
    message.writeBigUInt64BE(0x41727101980n, 0);
    message.writeUInt32BE(0, 8);
    message.writeUInt32BE(this.transaction(), 12);
    const reply = await this.request(message);
    if (reply.readUInt32BE(0) !== 0) throw new Error(`connect failed: ${reply.subarray(8).toString()}`);
    return reply.subarray(8, 16);
  }

  announceMessage(connectionId: Buffer, fields: { infoHash: Buffer; peer: number; port: number; left: bigint; event?: number; numWant?: number }): Buffer {
    const message = Buffer.alloc(98);
    connectionId.copy(message, 0);
    message.writeUInt32BE(1, 8);
    message.writeUInt32BE(this.transaction(), 12);
    fields.infoHash.copy(message, 16);
    peerIdOf(fields.peer).copy(message, 36);
    message.writeBigInt64BE(fields.left, 64);
    message.writeUInt32BE(fields.event ?? 0, 80);
    message.writeInt32BE(fields.numWant ?? -1, 92);
    message.writeUInt16BE(fields.port, 96);
    return message;
  }

  scrapeMessage(connectionId: Buffer, infoHashes: Buffer[]): Buffer {
    const header = Buffer.alloc(16);
    connectionId.copy(header, 0);
    header.writeUInt32BE(2, 8);
    header.writeUInt32BE(this.transaction(), 12);
    return Buffer.concat([header, ...infoHashes]);
  }

  close(): void {
    this.socket.close();
  }
}

/** Waits for `condition` (polled), failing after `timeoutMs`: for effects that only time produces (expiry). */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((resolveTick) => setTimeout(resolveTick, 50));
  }
}
