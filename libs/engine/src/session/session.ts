import { availableParallelism } from 'node:os';
import { HashPool } from '@seedfleet/hashing';
import type { MagnetLink } from '@seedfleet/metainfo';
import { type ReservedFlags } from '@seedfleet/wire';
import { BanList } from '../ban/ban-list';
import { type AddMagnetOptions, MagnetTorrent } from '../metadata/magnet-torrent';
import { ConnectionLimits } from '../net/connection-limits';
import { Listener } from '../net/listener';
import { generatePeerId } from '../peer/peer-id';
import type { TokenBucket } from '../policy';
import { limitBucket } from '../torrent/rate-limits';
import { Torrent } from '../torrent/torrent';
import type { AddTorrentOptions, SessionLink } from '../torrent/torrent-options';
import { TorrentError } from '../torrent/torrent-types';
import { SessionDiscovery } from './session-discovery';
import type { SessionOptions } from './session-options';

/** SHA-1 runs at ~1 GB/s per core: two to four workers outpace the network and the disk. */
const DEFAULT_HASH_WORKERS = 4;
/**
 * Downloaded pieces up to this size are verified on the event loop: ~0.5 ms per MiB, cheaper than a worker
 * round trip and no isolate of ~11 MiB (1 GiB ours -> ours: faster, less CPU, 15-20 MiB less peak RSS).
 * Rechecks from disk (fill jobs) and larger pieces still go to the workers.
 */
const INLINE_HASH_MAX_BYTES = 4 * 1024 * 1024;

/** The reserved bits we send: BEP 10 extension protocol and BEP 6 fast extension, BEP 5 DHT when it may be used. */
const FLAGS: Partial<ReservedFlags> = { extensionProtocol: true, fastExtension: true };
const FLAGS_WITH_DHT: Partial<ReservedFlags> = { ...FLAGS, dht: true };

/**
 * One per process: the listen port shared by every torrent (incoming handshakes routed by info hash),
 * the peer id, connection limits and rate buckets across torrents, and the hash pool.
 */
export class Session {
  readonly peerId: Buffer;
  /** Banned IP addresses, shared by every torrent: refused at accept, never dialed; SmartBan convictions add to it. */
  readonly bans: BanList;
  /** Magnets still fetching their info dict (then they are torrents like any other). */
  private readonly magnets = new Set<MagnetTorrent>();
  private readonly limits: ConnectionLimits<Torrent>;
  private readonly listener: Listener<Torrent>;
  /** By v1 info hash (hex); the map the session's lists and lookups use. */
  private readonly torrents = new Map<string, Torrent>();
  /** By the 20 bytes a peer's handshake may carry: v1 info hash, and for hybrids the truncated v2 one. */
  private readonly routes = new Map<string, Torrent>();
  private readonly hashPool: HashPool;
  private readonly ownsPool: boolean;
  private readonly clock: () => number;
  private readonly downBucket: TokenBucket | undefined;
  private readonly upBucket: TokenBucket | undefined;
  private readonly discovery: SessionDiscovery;
  private listenPort = 0;
  private closed = false;

  constructor(private readonly options: SessionOptions = {}) {
    this.peerId = options.peerId ?? generatePeerId();
    if (this.peerId.length !== 20) throw new RangeError(`peer id must be 20 bytes, got ${this.peerId.length}`);
    this.clock = options.clock ?? (() => performance.now());
    this.bans = new BanList({ clock: this.clock });
    this.limits = new ConnectionLimits({ maxConnections: options.maxConnections, maxPerTorrent: options.maxConnectionsPerTorrent });
    this.ownsPool = options.hashPool === undefined;
    // Each worker is a V8 isolate (~10 MiB): a few keep up with any network, all cores would not pay off.
    this.hashPool = options.hashPool ?? new HashPool({ size: Math.min(DEFAULT_HASH_WORKERS, availableParallelism()), inlineMaxBytes: INLINE_HASH_MAX_BYTES });
    const now = this.clock();
    this.downBucket = limitBucket(options.maxDownRate, now);
    this.upBucket = limitBucket(options.maxUpRate, now);
    this.discovery = new SessionDiscovery(options, this.clock);
    this.listener = new Listener<Torrent>({
      host: options.host,
      port: options.port ?? 0,
      limits: this.limits,
      isBanned: (address) => this.bans.isBanned(address),
      route: (infoHash) => {
        const torrent = this.routes.get(infoHash.toString('hex'));
        if (!torrent?.acceptsPeers) return undefined;
        const { metainfo } = torrent;
        return { torrent, peerId: this.peerId, flags: this.flagsFor(metainfo), dht: this.discovery.portExchange(metainfo) };
      },
      encryption: options.encryption,
      infoHashes: () => Array.from(this.routes.keys(), (hex) => Buffer.from(hex, 'hex')),
      onConnection: ({ torrent, ...connection }) => torrent.acceptIncoming(connection),
    });
  }

  /**
   * Opens the listen port (throws ListenError when it is taken), then the DHT and LSD sockets if configured
   * (failures there go to onDiscoveryError: the session works without them).
   */
  async listen(): Promise<{ port: number }> {
    const address = await this.listener.listen();
    this.listenPort = address.port;
    // Torrents added before the port was known could not announce yet.
    for (const torrent of this.torrents.values()) torrent.portKnown();
    for (const magnet of this.magnets) magnet.portKnown();
    await this.discovery.start(address.port);
    return { port: address.port };
  }

  /** The DHT node's UDP port (0 without a running DHT). */
  get dhtPort(): number {
    return this.discovery.dhtPort;
  }

  /** Contacts in the DHT routing table (0 without a DHT). */
  get dhtNodeCount(): number {
    return this.discovery.dhtNodeCount;
  }

  get port(): number {
    return this.listenPort;
  }

  /** Adds a torrent and starts it (checking, then downloading or seeding). Resolves once added, not when checked. */
  async add(options: AddTorrentOptions): Promise<Torrent> {
    if (this.closed) throw new TorrentError('stopped', 'the session is closed');
    const key = (options.metainfo.infoHashV1 ?? options.metainfo.infoHashV2?.subarray(0, 20))?.toString('hex');
    if (key !== undefined && this.torrents.has(key)) throw new TorrentError('unsupported', `torrent ${key} is already in the session`);
    const torrent = new Torrent(options, this.link(options.metainfo));
    this.torrents.set(torrent.infoHash.toString('hex'), torrent);
    for (const hash of wireHashes(torrent)) this.routes.set(hash, torrent);
    this.discovery.add(torrent);
    void torrent.start();
    return torrent;
  }

  /**
   * Adds a torrent by magnet link (BEP 9, btih and/or btmh): its info dict is fetched from peers (x.pe, the
   * magnet's trackers, options.peers), verified against every hash the link gives, then a normal torrent
   * is added ('metadata' and 'torrent' events). Throws MetainfoError for a malformed link.
   */
  addMagnet(magnet: string | MagnetLink, options: AddMagnetOptions): MagnetTorrent {
    if (this.closed) throw new TorrentError('stopped', 'the session is closed');
    const added = new MagnetTorrent(magnet, options, {
      peerId: this.peerId,
      flags: FLAGS,
      port: () => this.listenPort,
      clock: this.clock,
      random: this.options.random ?? Math.random,
      isBanned: (host) => this.bans.isBanned(host),
      add: (torrentOptions) => this.add(torrentOptions),
    });
    this.magnets.add(added);
    const forget = (): void => void this.magnets.delete(added);
    added.on('torrent', forget).on('error', forget);
    return added;
  }

  list(): Torrent[] {
    return [...this.torrents.values()];
  }

  get(infoHash: Buffer | string): Torrent | undefined {
    return this.torrents.get(typeof infoHash === 'string' ? infoHash.toLowerCase() : infoHash.toString('hex'));
  }

  /** Stops every torrent (saving resume data), closes the port, DHT and LSD and, if it made it, the hash pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listener.close();
    await Promise.all([...this.magnets].map((magnet) => magnet.stop()));
    await Promise.all([this.discovery.close(), ...[...this.torrents.values()].map((torrent) => torrent.stop())]);
    if (this.ownsPool) await this.hashPool.close();
  }

  private flagsFor(torrent: { readonly private: boolean; readonly infoHashV2?: Buffer | null }): Partial<ReservedFlags> {
    const flags = this.discovery.usesDht(torrent) ? FLAGS_WITH_DHT : FLAGS;
    // BEP 52: v2 peers see we can talk hashes (Torrent sets the same bit on its outgoing handshakes).
    return torrent.infoHashV2 ? { ...flags, v2Upgrade: true } : flags;
  }

  private link(metainfo: { readonly private: boolean }): SessionLink<Torrent> {
    return {
      peerId: this.peerId,
      flags: this.flagsFor(metainfo),
      dhtPorts: () => this.discovery.portExchange(metainfo),
      limits: this.limits,
      hashPool: this.hashPool,
      bans: this.bans,
      clock: this.clock,
      random: this.options.random ?? Math.random,
      downBucket: this.downBucket,
      upBucket: this.upBucket,
      port: () => this.listenPort,
      encryption: this.options.encryption ?? 'prefer',
      removed: (torrent) => {
        const key = torrent.infoHash.toString('hex');
        if (this.torrents.get(key) !== torrent) return;
        this.torrents.delete(key);
        for (const hash of wireHashes(torrent)) this.routes.delete(hash);
        this.discovery.remove(torrent);
      },
    };
  }
}

/**
 * The info hashes a peer may greet a torrent with. A hybrid's v2 peers use the truncated SHA-256 one
 * (BEP 52); its pieces are the same, so they are served like v1 peers.
 */
function wireHashes(torrent: Torrent): string[] {
  const v2 = torrent.metainfo.infoHashV2;
  return [torrent.infoHash.toString('hex'), ...(v2 ? [v2.subarray(0, 20).toString('hex')] : [])];
}
