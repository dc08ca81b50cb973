import type { HashPool } from '@seedfleet/hashing';
import type { Metainfo } from '@seedfleet/metainfo';
import type { Bitfield, EncryptionPolicy, ReservedFlags } from '@seedfleet/wire';
import type { BanList } from '../ban/ban-list';
import type { ConnectionLimits } from '../net/connection-limits';
import type { DhtPortExchange } from '../peer/dht-port';
import type { Random, TokenBucket } from '../policy';
import type { PieceStore } from '../storage/piece-store';
import type { WebSeedOptions } from '../webseed';
import type { OriginMode } from '../webseed/origin-policy';
import type { PeerAddress } from './swarm';

/** What `Session.add` takes. */
export interface AddTorrentOptions {
  readonly metainfo: Metainfo;
  readonly store: PieceStore;
  /** Resume data file: read at start (trusted pieces skip the check), saved periodically, at completion and on stop. */
  readonly resumePath?: string;
  /** Tracker tiers on top of the torrent's own. */
  readonly trackers?: readonly (readonly string[])[];
  readonly peers?: readonly PeerAddress[];
  /** The store holds the whole torrent: seed without checking. */
  readonly seedOnly?: boolean;
  /**
   * Serve what the store holds and never download: the startup check runs as usual (resume data fast
   * path), then the torrent is 'seeding' even when pieces are missing, is interested in no one and
   * requests nothing. 'complete' / whenComplete() only if the store turns out complete.
   */
  readonly uploadOnly?: boolean;
  /**
   * Super-seeding (BEP 16) while we hold every piece: peers see have-none, then one piece at a time by HAVE,
   * the next once the last showed up at another peer, so each piece leaves us about once (default false).
   * Peers greeted while we still downloaded are served as usual.
   */
  readonly superSeed?: boolean;
  /** Pieces known to be in the store already (skips the startup check). */
  readonly have?: Bitfield;
  readonly chokeMode?: 'tit-for-tat' | 'cooperative';
  /** Bytes per second, 0 or undefined = unlimited. */
  readonly maxDownRate?: number;
  readonly maxUpRate?: number;
  readonly maxConnections?: number;
  /** Regular unchoke slots (default 4 tit-for-tat, 8 cooperative). */
  readonly unchokeSlots?: number;
  /** Bytes of piece buffers in flight (default 8 MiB, at least two pieces). */
  readonly assemblyBudget?: number;
  /**
   * Most bytes of whole pieces held for seeding (default 16 MiB, at least two pieces): piece-size slots made
   * only while every existing one is lent to a socket, then reused (UploadCache).
   */
  readonly readCacheBytes?: number;
  /** Peer exchange (BEP 11) with this torrent's peers (default true); private torrents never use it (BEP 27). */
  readonly pex?: boolean;
  /** BEP 19 web seeds (http/https url-list entries); default the torrent's url-list. */
  readonly webSeeds?: readonly string[];
  /**
   * How much to take from web seeds (webseed/origin-policy.ts): 'fallback' (default) only pieces no
   * connected peer has, or anything when no peer can help or peers stalled; 'assist' also whatever peers
   * are too slow for (below `downloadGoal`); 'off' never.
   */
  readonly origin?: OriginMode;
  /** assist: the download rate wanted in bytes per second (default: as fast as possible). */
  readonly downloadGoal?: number;
  /** Web-seed requests at once over all of this torrent's web seeds (default 4). */
  readonly maxWebSeedRequests?: number;
  /** Tuning of each web seed (timeouts, retries, strikes, injected clock and timers). */
  readonly webSeedOptions?: Partial<WebSeedOptions>;
}

/** What a torrent gets from its session. */
export interface SessionLink<Owner> {
  readonly peerId: Buffer;
  readonly flags: Partial<ReservedFlags>;
  readonly limits: ConnectionLimits<Owner>;
  readonly hashPool: HashPool;
  /** Monotonic milliseconds. */
  readonly clock: () => number;
  readonly random: Random;
  readonly downBucket: TokenBucket | undefined;
  readonly upBucket: TokenBucket | undefined;
  /** The listen port, for trackers and the extension handshake (0 before listen). */
  readonly port: () => number;
  /** The session's DHT node for BEP 5 PORT messages on outgoing connections (undefined: none, or a private torrent). */
  readonly dhtPorts?: () => DhtPortExchange | undefined;
  /** Message Stream Encryption for outgoing connections (default 'prefer'). */
  readonly encryption?: EncryptionPolicy;
  /** The session's banned addresses: refused, never dialed, dropped from peer lists; convictions add to it. */
  readonly bans?: BanList;
  /** The torrent stopped for good: the session forgets it. */
  readonly removed: (torrent: Owner) => void;
}
