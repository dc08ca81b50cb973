import type { HashPool } from '@seedfleet/hashing';
import type { EncryptionPolicy } from '@seedfleet/wire';
import type { DhtRound } from '../discovery/dht/dht-discovery';
import type { DiscoveryError } from '../discovery/discovery-error';
import type { LsdGroup } from '../discovery/lsd/lsd-group';
import type { Random } from '../policy';

/** The session's DHT node (BEP 5), for public torrents only. */
export interface SessionDhtOptions {
  /** `host:port` routers to join through (default DEFAULT_DHT_BOOTSTRAP, the public ones); [] for none. */
  readonly bootstrap?: readonly string[];
  /** UDP port (default: the listen port, or any free one if that UDP port is taken). */
  readonly port?: number;
  /** UDP address (default 0.0.0.0; the DHT is IPv4 only). */
  readonly host?: string;
  /** Node id and contacts: read on listen, written on close (a damaged file means a fresh start). */
  readonly stateFile?: string;
  /** Every finished lookup + announce of a torrent (status output, tests). */
  readonly onRound?: (round: DhtRound) => void;
}

/** Local Service Discovery (BEP 14): multicast on the LAN. */
export interface SessionLsdOptions {
  /** Default BEP 14's IPv4 and IPv6 groups on port 6771. */
  readonly groups?: readonly LsdGroup[];
  /** Fleet setting: private torrents use LSD too (default false, BEP 27). */
  readonly forPrivateTorrents?: boolean;
}

export interface SessionOptions {
  /** Listen port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Listen address (default '::', dual stack). */
  readonly host?: string;
  /** 20 bytes; default a fresh one (generatePeerId). */
  readonly peerId?: Buffer;
  /** Open connections across all torrents (default 200). */
  readonly maxConnections?: number;
  /** Open connections per torrent unless set per torrent (default 50). */
  readonly maxConnectionsPerTorrent?: number;
  /** Bytes per second across all torrents; 0 or undefined = unlimited. */
  readonly maxDownRate?: number;
  readonly maxUpRate?: number;
  /** Shared hashing pool; default a private one (up to 4 workers) closed with the session. */
  readonly hashPool?: HashPool;
  /** Monotonic milliseconds (default performance.now). */
  readonly clock?: () => number;
  /** Default Math.random. */
  readonly random?: Random;
  /**
   * DHT peer discovery for public torrents (default off: the CLI turns it on, fleet agents decide per
   * config). Starts with listen(); sets the DHT reserved bit and exchanges PORT messages.
   */
  readonly dht?: boolean | SessionDhtOptions;
  /** LSD for public torrents (private ones only with `forPrivateTorrents`); default off, like `dht`. */
  readonly lsd?: boolean | SessionLsdOptions;
  /**
   * Message Stream Encryption (default 'prefer', like libtorrent: dial with MSE, retry in plaintext if it
   * fails, accept both). 'require' talks to MSE/RC4 peers only; 'off' speaks plaintext only.
   */
  readonly encryption?: EncryptionPolicy;
  /** DHT/LSD socket failures (a source that cannot start is left out; the session keeps working). */
  readonly onDiscoveryError?: (error: DiscoveryError) => void;
}
