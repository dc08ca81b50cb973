import type { PeerAddress } from '@seedfleet/wire';

/** Where discovered peers came from; the `source` argument of `onPeers`. */
export type DiscoverySource = 'dht' | 'lsd';

/** One torrent as the session-wide discovery services see it. */
export interface DiscoveryTarget {
  /** 20 bytes: the v1 info hash, or the truncated v2 one (BEP 52). */
  readonly infoHash: Buffer;
  /** The torrent's BEP 27 flag: DHT never, LSD only when the fleet config allows it. */
  readonly private: boolean;
  /** Never called with an empty list; may repeat peers (the Swarm deduplicates). */
  readonly onPeers: (peers: PeerAddress[], source: DiscoverySource) => void;
}

/** A torrent's registration with one discovery service, from `add` until `remove`. */
export interface DiscoveryMembership {
  /** Asks for an announce/lookup soon; rate-limited per info hash, so calling it often is harmless. */
  announceNow(): void;
  /** Stops announcing and reporting peers for this torrent. Idempotent. */
  remove(): void;
}

/** A session-wide peer source (one socket) shared by every torrent: DhtDiscovery, LsdDiscovery. */
export interface PeerDiscovery {
  readonly source: DiscoverySource;
  /**
   * Starts announcing the torrent and reporting its peers. Returns undefined (and touches nothing) when
   * the discovery policy forbids this source for the torrent, e.g. a private torrent on the DHT.
   */
  add(target: DiscoveryTarget): DiscoveryMembership | undefined;
  /** Closes the socket; every membership stops. Idempotent. */
  close(): Promise<void>;
}
