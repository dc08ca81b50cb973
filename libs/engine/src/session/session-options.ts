import type { HashPool } from '@seedfleet/hashing';
import type { Random } from '../policy';

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
}
