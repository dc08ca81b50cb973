import type { TrackerFailure } from '../core/failure';
import type { AnnounceEvent, Locality, PeerAddress, SwarmCounts, SwarmPeer } from '../core/types';

/** What a store records for one announce, and how it checks access (inside the same atomic step). */
export interface StoreAnnounce {
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly address: PeerAddress;
  /**
   * The peer id then the compact address (as compactAddress writes it), when the caller has it already:
   * a store that keeps members in that form takes it as it is rather than build it again.
   */
  readonly member?: Buffer;
  readonly event: AnnounceEvent;
  readonly seeder: boolean;
  /** Private mode: must be a registered passkey; its labels become the requester's locality. */
  readonly passkey?: string;
  /** Private mode: the info hash must be registered. */
  readonly requireRegistered: boolean;
  /** Private mode without a passkey: the info hash must be registered as public (see TrackerRegistry). */
  readonly publicOnly?: boolean;
  /**
   * How many candidates the selection may need. A store may return the whole swarm, or a sample holding
   * up to this many from each preference group (same zone, same region, seeders, leechers), so selecting
   * from the sample prefers the same peers as selecting from the whole swarm.
   */
  readonly sampleSize: number;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

export interface StoreAnnounceResult {
  readonly counts: SwarmCounts;
  /** Live peers other than (possibly including) the requester, for selectPeers. */
  readonly candidates: readonly SwarmPeer[];
  /** The requester's labels (from its passkey), for selectPeers. */
  readonly locality: Locality;
}

export interface StoreScrape {
  readonly infoHashes: readonly Buffer[];
  readonly passkey?: string;
  readonly requireRegistered: boolean;
  /** As in StoreAnnounce: a hash not registered as public counts as not registered. */
  readonly publicOnly?: boolean;
  readonly now: number;
}

/**
 * Swarm state: peers with an expiry, seeders, completed counts, and the private-mode registry. Every
 * adapter (Redis, memory) passes test/store-conformance.ts. A store answers refusals as values.
 */
export interface SwarmStore {
  announce(request: StoreAnnounce): Promise<StoreAnnounceResult | TrackerFailure>;
  /** Counts per requested info hash, in order; undefined for a hash that is not registered (private mode). */
  scrape(request: StoreScrape): Promise<readonly (SwarmCounts | undefined)[] | TrackerFailure>;
}

/** Private mode: which torrents and agents the tracker serves. Written by the publisher. */
export interface TrackerRegistry {
  /**
   * A public torrent (a release for public mirrors) is also served without a passkey: any BitTorrent
   * client may announce and scrape it at /announce. Registering again updates the flag.
   */
  registerInfoHash(infoHash: Buffer, options?: { public?: boolean }): Promise<void>;
  unregisterInfoHash(infoHash: Buffer): Promise<void>;
  /** Labels must match LABEL_PATTERN (they are stored in a delimited form). */
  registerPasskey(passkey: string, locality: Locality): Promise<void>;
  revokePasskey(passkey: string): Promise<void>;
}

export interface SwarmStoreOptions {
  /** A peer that has not announced for this long is gone. */
  readonly peerTtlMs: number;
}

export const LABEL_PATTERN = /^[A-Za-z0-9._:-]{0,63}$/;
export const PASSKEY_PATTERN = /^[A-Za-z0-9_-]{8,128}$/;

export function checkRegistration(passkey: string, locality: Locality): void {
  if (!PASSKEY_PATTERN.test(passkey)) throw new RangeError(`passkey must match ${PASSKEY_PATTERN}`);
  if (!LABEL_PATTERN.test(locality.zone) || !LABEL_PATTERN.test(locality.region)) throw new RangeError(`zone and region must match ${LABEL_PATTERN}`);
}
