import type { EncryptionPolicy, ReservedFlags } from '@seedfleet/wire';
import type { ConnectionLimits } from '../net/connection-limits';
import { connectPeer, type EstablishedConnection } from '../net/handshake-exchange';
import type { DhtPortExchange } from '../peer/dht-port';
import type { DisconnectCode } from '../peer/disconnect-reason';

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

interface Candidate extends PeerAddress {
  readonly key: string;
  connected: boolean;
  connecting: boolean;
  failures: number;
  retryAt: number;
}

export interface SwarmOptions<Owner> {
  readonly owner: Owner;
  readonly limits: ConnectionLimits<Owner>;
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly flags: Partial<ReservedFlags>;
  readonly clock: () => number;
  /** A connection past the handshake, holding an open slot of `limits` for the owner. */
  readonly onConnected: (connection: EstablishedConnection, candidate: string) => void;
  /** Most candidates remembered (default 1,000): tracker answers cannot grow memory without bound. */
  readonly maxCandidates?: number;
  readonly connectTimeoutMs?: number;
  /** The session's DHT node for PORT messages, asked per dial (it starts after the torrent may). */
  readonly dhtPorts?: () => DhtPortExchange | undefined;
  /** Banned addresses: dropped from every peer list (trackers, DHT, PEX, addPeer) and never dialed. */
  readonly isBanned?: (host: string) => boolean;
  /** Message Stream Encryption when dialing (default 'prefer'). */
  readonly encryption?: EncryptionPolicy;
}

/** First retry after a failure; doubles per failure up to MAX_BACKOFF_MS. */
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/** After this many failures in a row a candidate is forgotten until a source names it again. */
const MAX_FAILURES = 8;
/** Codes after which we never dial that address again. */
const PERMANENT: ReadonlySet<DisconnectCode> = new Set(['self-connection', 'banned', 'info-hash-mismatch']);

/**
 * The torrent's peer candidates (trackers, addPeer, later PEX/DHT) and its outgoing connections: dials
 * candidates while the session's and the torrent's limits allow, backs off exponentially from addresses
 * that fail, and forgets those that fail too often or must not be retried.
 */
export class Swarm<Owner> {
  private readonly candidates = new Map<string, Candidate>();
  private readonly never = new Set<string>();
  private running = false;

  constructor(private readonly options: SwarmOptions<Owner>) {}

  add(peers: readonly PeerAddress[]): void {
    const max = this.options.maxCandidates ?? 1000;
    for (const { host, port } of peers) {
      if (!host || !Number.isInteger(port) || port <= 0 || port > 65_535) continue;
      if (this.options.isBanned?.(host)) continue;
      const key = addressKey(host, port);
      if (this.never.has(key)) continue;
      const known = this.candidates.get(key);
      if (known) {
        if (!known.connected && !known.connecting) known.retryAt = Math.min(known.retryAt, this.options.clock());
        continue;
      }
      if (this.candidates.size >= max) continue;
      this.candidates.set(key, { key, host, port, connected: false, connecting: false, failures: 0, retryAt: 0 });
    }
    this.connectMore();
  }

  /** Starts dialing; on resume, addresses we left ourselves are tried again at once. */
  start(): void {
    this.running = true;
    for (const candidate of this.candidates.values()) if (candidate.failures === 0) candidate.retryAt = 0;
    this.connectMore();
  }

  stop(): void {
    this.running = false;
  }

  /** Never dial this address again (a banned or self connection). */
  forbid(key: string): void {
    this.never.add(key);
    this.candidates.delete(key);
  }

  /** An outgoing connection ended: retry later, sooner if it had worked. */
  disconnected(key: string, code: DisconnectCode): void {
    const candidate = this.candidates.get(key);
    if (!candidate) return;
    candidate.connected = false;
    if (PERMANENT.has(code)) return this.forbid(key);
    this.backoff(candidate, code === 'not-useful' ? 60_000 : BASE_BACKOFF_MS * 5);
  }

  get candidateCount(): number {
    return this.candidates.size;
  }

  /** Dials in progress. */
  get dialing(): number {
    let count = 0;
    for (const candidate of this.candidates.values()) if (candidate.connecting) count++;
    return count;
  }

  /** Dials eligible candidates while limits allow; called on a timer and when candidates arrive. */
  connectMore(): void {
    if (!this.running) return;
    const { limits, owner } = this.options;
    const now = this.options.clock();
    for (const candidate of this.candidates.values()) {
      if (!limits.canOpen(owner)) return;
      if (candidate.connected || candidate.connecting || candidate.retryAt > now) continue;
      // Banned since it was added.
      if (this.options.isBanned?.(candidate.host)) {
        this.forbid(candidate.key);
        continue;
      }
      if (!limits.tryStartHalfOpen()) return;
      this.dial(candidate);
    }
  }

  private dial(candidate: Candidate): void {
    const { options } = this;
    candidate.connecting = true;
    void connectPeer({
      host: candidate.host,
      port: candidate.port,
      infoHash: options.infoHash,
      peerId: options.peerId,
      flags: options.flags,
      timeoutMs: options.connectTimeoutMs,
      dht: options.dhtPorts?.(),
      encryption: options.encryption,
    }).then((outcome) => {
      candidate.connecting = false;
      options.limits.endHalfOpen();
      if (!outcome.ok) {
        if (PERMANENT.has(outcome.reason.code)) this.forbid(candidate.key);
        else this.fail(candidate);
        return;
      }
      if (!this.running || !options.limits.tryOpen(options.owner)) {
        outcome.value.socket.destroy();
        this.backoff(candidate, BASE_BACKOFF_MS);
        return;
      }
      candidate.connected = true;
      candidate.failures = 0;
      options.onConnected(outcome.value, candidate.key);
    });
  }

  private fail(candidate: Candidate): void {
    candidate.failures++;
    if (candidate.failures >= MAX_FAILURES) {
      this.candidates.delete(candidate.key);
      return;
    }
    this.backoff(candidate, Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (candidate.failures - 1)));
  }

  private backoff(candidate: Candidate, ms: number): void {
    candidate.retryAt = this.options.clock() + ms;
  }
}

export function addressKey(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
