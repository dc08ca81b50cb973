import type { RemoteInfo } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type DHT from 'bittorrent-dht';
import type { PeerAddress } from '@seedfleet/wire';
import type { Timers } from '../../tracker/announcer/timers';
import { DiscoveryError, discoveryError } from '../discovery-error';
import { discoveryAllowed } from '../discovery-policy';
import { DueTargets } from '../due-targets';
import { RecentPeers } from '../recent-peers';
import type { DiscoveryMembership, DiscoveryTarget, PeerDiscovery } from '../types';
import type { DhtState } from './dht-state';
import type { KrpcRejection } from './krpc-guard';
import { KrpcSocket } from './krpc-socket';
import { loadDht } from './load-dht';

/** The public routers most clients bootstrap from. */
export const DEFAULT_DHT_BOOTSTRAP: readonly string[] = ['router.bittorrent.com:6881', 'router.utorrent.com:6881', 'dht.transmissionbt.com:6881', 'dht.libtorrent.org:25401'];

export interface DhtRound {
  /** Lower-case hex info hash. */
  readonly infoHash: string;
  /** Nodes that took our announce_peer (0 when nobody did). */
  readonly announcedTo: number;
  readonly error?: Error;
}

export interface DhtDiscoveryOptions {
  /** Our BitTorrent (TCP) listen port: what announce_peer tells the DHT. */
  readonly peerPort: number;
  /** UDP address and port of the DHT node (default 0.0.0.0, port 0 = any; sessions pass their listen port). */
  readonly host?: string;
  readonly port?: number;
  /** `host:port` routers to join through (default DEFAULT_DHT_BOOTSTRAP; [] for none). */
  readonly bootstrap?: readonly string[];
  /** A saved node id and contacts (dht-state.ts); contacts are pinged on start. */
  readonly state?: DhtState;
  /** Lookup + announce per torrent (default 15 min, libtorrent's). */
  readonly announceIntervalMs?: number;
  /** Floor between two rounds of one torrent and between two reports of one peer (default 1 min). */
  readonly minIntervalMs?: number;
  /** Per KRPC query (default 2 s). */
  readonly queryTimeoutMs?: number;
  readonly clock?: () => number;
  readonly timers?: Timers;
  /** Socket failures and callback exceptions; a DHT that cannot reach anyone is not an error. */
  readonly onError?: (error: DiscoveryError) => void;
  /** Every finished round (for status output and tests). */
  readonly onRound?: (round: DhtRound) => void;
  /** Datagrams dropped by the KRPC guard before bittorrent-dht saw them. */
  readonly onRejected?: (reason: KrpcRejection, from: RemoteInfo) => void;
}

const restoredBootstrapNodes = 8;
const defaults = { host: '0.0.0.0', port: 0, announceIntervalMs: 15 * 60_000, minIntervalMs: 60_000, queryTimeoutMs: 2000 };

/**
 * BEP 5 peer discovery for a whole session: one bittorrent-dht node (one UDP socket) shared by every public
 * torrent, each of which gets a lookup (get_peers) followed by an announce_peer with our TCP port on add and
 * every 15 minutes. Private torrents are refused by discoveryAllowed and never reach the DHT.
 */
export class DhtDiscovery implements PeerDiscovery {
  readonly source = 'dht' as const;
  private readonly targets: DueTargets;
  private readonly running = new Set<string>();
  private readonly recentPeers: RecentPeers;
  private readonly clock: () => number;
  private readonly ownAddresses = localAddresses();
  private closed = false;

  private constructor(
    private readonly dht: DHT,
    private readonly options: DhtDiscoveryOptions,
  ) {
    this.clock = options.clock ?? (() => performance.now());
    const minIntervalMs = options.minIntervalMs ?? defaults.minIntervalMs;
    const intervalMs = options.announceIntervalMs ?? defaults.announceIntervalMs;
    this.targets = new DueTargets({ intervalMs, minIntervalMs, clock: this.clock, timers: options.timers, onDue: (hashes) => this.startRounds(hashes) });
    this.recentPeers = new RecentPeers(minIntervalMs);
    dht.on('peer', (peer: PeerAddress, infoHash: Buffer) => this.onPeer(peer, infoHash));
    dht.on('error', (error: Error) => this.report(discoveryError('socket', 'DHT socket', error)));
    dht.on('warning', () => undefined); // unanswered queries and stray answers: normal on the DHT
  }

  /** Loads bittorrent-dht, binds the UDP socket and starts joining; rejects with DiscoveryError `bind-failed`. */
  static async start(options: DhtDiscoveryOptions): Promise<DhtDiscovery> {
    const DhtNode = await loadDht();
    const socket = new KrpcSocket(options.queryTimeoutMs ?? defaults.queryTimeoutMs, (reason, from) => options.onRejected?.(reason, from));
    const dht = new DhtNode({
      nodeId: options.state === undefined ? undefined : Buffer.from(options.state.nodeId, 'hex'),
      bootstrap: [...restoredBootstrap(options.state), ...(options.bootstrap ?? DEFAULT_DHT_BOOTSTRAP)],
      krpcSocket: socket,
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        dht.destroy();
        reject(discoveryError('bind-failed', `DHT: binding UDP ${options.host ?? defaults.host}:${options.port ?? defaults.port}`, error));
      };
      dht.once('error', fail);
      dht.listen(options.port ?? defaults.port, options.host ?? defaults.host, () => {
        dht.off('error', fail);
        resolve();
      });
    });
    socket.socket.unref();
    for (const node of options.state?.nodes ?? []) dht.addNode(node);
    return new DhtDiscovery(dht, options);
  }

  /** The UDP port the node listens on (for the BEP 5 PORT message). */
  get port(): number {
    return this.dht.address().port;
  }

  get nodeId(): Buffer {
    return this.dht.nodeId;
  }

  /** Contacts in the routing table. */
  get nodeCount(): number {
    return this.dht.nodes.count();
  }

  add(target: DiscoveryTarget): DiscoveryMembership | undefined {
    if (this.closed || !discoveryAllowed('dht', target)) return undefined;
    return this.targets.add(target);
  }

  /** A contact learnt elsewhere, e.g. a peer's BEP 5 PORT message: pinged, kept if it answers. */
  addNode(node: PeerAddress): void {
    if (this.closed || !Number.isInteger(node.port) || node.port <= 0 || node.port > 0xffff) return;
    this.dht.addNode({ host: node.host, port: node.port });
  }

  /** What to save for the next start (dht-state.ts). */
  state(): DhtState {
    return { nodeId: this.dht.nodeId.toString('hex'), nodes: this.dht.toJSON().nodes.map(({ host, port }) => ({ host, port })) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.targets.close();
    await new Promise<void>((resolve) => this.dht.destroy(() => resolve()));
  }

  /** A hash whose previous round is still running skips this turn; it is due again after the interval. */
  private startRounds(hashes: string[]): void {
    for (const key of hashes) if (!this.running.has(key)) this.runRound(key);
  }

  /** get_peers first (peers arrive as 'peer' events), then announce_peer to the closest nodes that gave tokens. */
  private runRound(key: string): void {
    this.running.add(key);
    const infoHash = Buffer.from(key, 'hex');
    const finish = (announcedTo: number, error?: Error): void => {
      this.running.delete(key);
      if (!this.closed) this.options.onRound?.({ infoHash: key, announcedTo, error });
    };
    this.dht.lookup(infoHash, (lookupError) => {
      if (this.closed) return finish(0, lookupError ?? undefined);
      if (lookupError) return finish(0, lookupError);
      this.dht.announce(infoHash, this.options.peerPort, (announceError, hits) => finish(hits ?? 0, announceError ?? undefined));
    });
  }

  private onPeer(peer: PeerAddress, infoHash: Buffer): void {
    if (this.closed) return;
    const key = infoHash.toString('hex');
    const target = this.targets.get(key);
    if (target === undefined) return;
    if (peer.port === this.options.peerPort && this.ownAddresses.has(peer.host)) return;
    if (!this.recentPeers.admit(`${key} ${peer.host} ${peer.port}`, this.clock())) return;
    try {
      target.onPeers([{ host: peer.host, port: peer.port }], 'dht');
    } catch (error) {
      this.report(discoveryError('callback', 'DHT onPeers', error));
    }
  }

  private report(error: DiscoveryError): void {
    if (!this.closed) this.options.onError?.(error);
  }
}

/**
 * A few saved contacts join the bootstrap list, so the first lookups after a restart can use them before
 * the pings that put all saved contacts back in the routing table are answered. Only a few: k-rpc queries
 * every bootstrap node whenever its table holds fewer nodes than the bootstrap list.
 */
function restoredBootstrap(state: DhtState | undefined): string[] {
  return (state?.nodes ?? []).slice(0, restoredBootstrapNodes).map(({ host, port }) => `${host}:${port}`);
}

/** Addresses of this host's interfaces: a peer at one of them with our port is ourselves. */
function localAddresses(): Set<string> {
  const addresses = new Set<string>();
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) addresses.add(entry.address);
  }
  return addresses;
}
