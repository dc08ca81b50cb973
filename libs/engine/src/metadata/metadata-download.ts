import type { MagnetLink, Metainfo } from '@seedfleet/metainfo';
import type { ReservedFlags } from '@seedfleet/wire';
import { ConnectionLimits } from '../net/connection-limits';
import type { EstablishedConnection } from '../net/handshake-exchange';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import { PeerConnection } from '../peer/peer-connection';
import type { Random } from '../policy';
import { Announcing } from '../torrent/announcing';
import { type PeerAddress, Swarm } from '../torrent/swarm';
import type { TorrentEvents } from '../torrent/torrent-types';
import { MetadataError } from './metadata-error';
import { MetadataFetcher } from './metadata-fetcher';
import { MetadataPeers } from './metadata-peers';
import { metainfoFromMagnet } from './torrent-file';
import { wireInfoHash } from './verify-info';

const TICK_MS = 1000;
/** Peers dialed at once while fetching: a dict is small, a few honest peers are plenty. */
const MAX_CONNECTIONS = 30;
/** Peers handed on to the torrent: the ones we reached first, then the rest we heard of. */
const MAX_PEERS_HANDED_ON = 200;

export interface MetadataDownloadOptions {
  readonly magnet: MagnetLink;
  readonly peerId: Buffer;
  readonly flags: Partial<ReservedFlags>;
  /** Our listen port for tracker announces and the handshake; trackers are asked only while it is non-zero. */
  readonly port: () => number;
  readonly clock: () => number;
  readonly random: Random;
  /** Tracker tiers on top of the magnet's `tr`. */
  readonly trackers?: readonly (readonly string[])[];
  /** Peers on top of the magnet's `x.pe`. */
  readonly peers?: readonly PeerAddress[];
  /** Info dicts above this are refused (default 16 MiB). */
  readonly maxMetadataSize?: number;
  /** Addresses never dialed (banned). */
  readonly isBanned?: (host: string) => boolean;
  readonly onTracker?: (failure: TorrentEvents['tracker']) => void;
  readonly onPeer?: (event: TorrentEvents['peer']) => void;
}

export interface FetchedMetadata {
  readonly metainfo: Metainfo;
  /** A .torrent file of the dict and the magnet's trackers: saved, it spares a refetch after a restart. */
  readonly torrentFile: Buffer;
  /** Peers that answered us, then others heard of: where the torrent should start. */
  readonly peers: PeerAddress[];
}

/**
 * A magnet's first phase: finds peers (x.pe, trackers, addPeer), connects to them with ut_metadata only,
 * and fetches and verifies the info dict through a MetadataFetcher. Resolves once with the parsed torrent;
 * rejects on stop() or when the dict matches the magnet but is not a valid info dict.
 */
export class MetadataDownload {
  private readonly fetcher: MetadataFetcher;
  private readonly peers: MetadataPeers;
  private readonly limits = new ConnectionLimits<MetadataDownload>({ maxConnections: MAX_CONNECTIONS, maxHalfOpen: 10, maxPerTorrent: MAX_CONNECTIONS });
  private readonly swarm: Swarm<MetadataDownload>;
  private readonly announcing: Announcing;
  private readonly candidateOf = new Map<PeerConnection, string>();
  private readonly heardOf = new Map<string, PeerAddress>();
  private readonly answered = new Map<string, PeerAddress>();
  private readonly result: Promise<FetchedMetadata>;
  private settle!: { resolve: (value: FetchedMetadata) => void; reject: (error: Error) => void };
  private timer: NodeJS.Timeout | undefined;
  private finished = false;

  constructor(private readonly options: MetadataDownloadOptions) {
    const { magnet } = options;
    const infoHash = wireInfoHash(magnet);
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.result.catch(() => undefined); // the caller may only listen to events
    this.fetcher = new MetadataFetcher({
      infoHashV1: magnet.infoHashV1,
      infoHashV2: magnet.infoHashV2,
      clock: options.clock,
      maxMetadataSize: options.maxMetadataSize,
      onMetadata: (infoRaw) => this.fetched(infoRaw),
    });
    this.peers = new MetadataPeers(this.fetcher, { port: options.port, onClosed: (connection, reason) => this.closed(connection, reason) });
    this.swarm = new Swarm({
      owner: this,
      limits: this.limits,
      infoHash,
      peerId: options.peerId,
      flags: options.flags,
      clock: options.clock,
      onConnected: (connection, candidate) => this.connected(connection, candidate),
    });
    this.announcing = new Announcing({
      tiers: [...magnet.trackers.map((url) => [url]), ...(options.trackers ?? [])].filter((tier) => tier.length > 0),
      infoHash,
      peerId: options.peerId,
      port: options.port,
      // Size unknown: a non-zero `left` keeps trackers from taking us for a seed.
      stats: () => ({ uploaded: 0, downloaded: 0, left: 1 }),
      onPeers: (peers) => this.addPeers(peers),
      onFailure: (failure) => options.onTracker?.(failure),
      clock: options.clock,
      random: options.random,
    });
  }

  /** Starts finding peers; resolves with the verified torrent. */
  start(): Promise<FetchedMetadata> {
    if (this.timer || this.finished) return this.result;
    this.swarm.start();
    this.addPeers([...this.options.magnet.peers.flatMap((text) => parseHostPort(text) ?? []), ...(this.options.peers ?? [])]);
    this.announcing.start();
    this.timer = setInterval(() => this.tick(), TICK_MS).unref();
    return this.result;
  }

  /** The session's port became known: trackers can be asked now. */
  portKnown(): void {
    if (this.timer) this.announcing.start();
  }

  addPeers(peers: readonly PeerAddress[]): void {
    const allowed = peers.filter((peer) => !this.options.isBanned?.(peer.host));
    for (const peer of allowed) {
      if (this.heardOf.size >= MAX_PEERS_HANDED_ON) break;
      this.heardOf.set(`${peer.host}:${peer.port}`, { host: peer.host, port: peer.port });
    }
    this.swarm.add(allowed);
  }

  /** Pieces of the dict received and how many there are, and how many peers we are connected to. */
  progress(): { received: number; total: number; peers: number } {
    return { ...this.fetcher.progress(), peers: this.peers.connections.length };
  }

  /** Gives up: closes every connection; start()'s promise rejects with MetadataError 'stopped'. */
  async stop(): Promise<void> {
    this.end();
    this.settle.reject(new MetadataError('stopped', 'stopped before the metadata arrived'));
    await this.announcing.stop();
  }

  private tick(): void {
    this.fetcher.tick();
    this.swarm.connectMore();
    if (this.peers.connections.length === 0) this.announcing.wantPeers();
  }

  private connected(established: EstablishedConnection, candidate: string): void {
    if (this.finished) {
      established.socket.destroy();
      this.limits.close(this);
      return;
    }
    const connection = new PeerConnection({ ...established, localFlags: this.options.flags, handler: this.peers, clock: this.options.clock });
    this.candidateOf.set(connection, candidate);
    this.options.onPeer?.({ type: 'connected', address: `${connection.remoteAddress}:${connection.remotePort}`, client: undefined });
    this.peers.greet(connection);
  }

  private closed(connection: PeerConnection, reason: DisconnectReason): void {
    this.limits.close(this);
    const candidate = this.candidateOf.get(connection);
    this.candidateOf.delete(connection);
    if (candidate && !this.finished) this.swarm.disconnected(candidate, reason.code);
    this.options.onPeer?.({ type: 'disconnected', address: `${connection.remoteAddress}:${connection.remotePort}`, client: undefined, reason: `${reason.code}: ${reason.message}` });
  }

  private fetched(infoRaw: Buffer): void {
    for (const connection of this.peers.connections) {
      this.answered.set(`${connection.remoteAddress}:${connection.remotePort}`, { host: connection.remoteAddress, port: connection.remotePort });
    }
    const peers = [...new Map([...this.answered, ...this.heardOf]).values()].slice(0, MAX_PEERS_HANDED_ON);
    this.end();
    void this.announcing.stop();
    try {
      const { metainfo, torrentFile } = metainfoFromMagnet(infoRaw, this.options.magnet);
      this.settle.resolve({ metainfo, torrentFile, peers });
    } catch (error) {
      this.settle.reject(error as Error);
    }
  }

  private end(): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.timer);
    this.swarm.stop();
    this.fetcher.stop();
    // The torrent reconnects to these peers with its own connections.
    this.peers.closeAll(disconnectReason('shutdown', 'metadata phase over'));
  }
}

/** "host:port" or "[v6]:port" from x.pe (metainfo checked the shape). */
export function parseHostPort(text: string): PeerAddress | undefined {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port > 0 && port <= 65_535 ? { host: match[1], port } : undefined;
}
