/** A peer's reachable address as the tracker hands it out: IPv4 dotted or IPv6 text, and a TCP port. */
export interface PeerAddress {
  readonly ip: string;
  readonly family: 4 | 6;
  readonly port: number;
}

export type AnnounceEvent = 'none' | 'started' | 'completed' | 'stopped';

/** Locality labels an agent registered with its passkey; empty when unknown (open mode). */
export interface Locality {
  readonly zone: string;
  readonly region: string;
}

export const NO_LOCALITY: Locality = { zone: '', region: '' };

/** One announce after parsing and access checks, independent of HTTP or UDP. */
export interface Announce {
  /** 20 bytes: a v1 info hash or a v2 info hash truncated to 20 bytes (BEP 52). */
  readonly infoHash: Buffer;
  /** 20 bytes. */
  readonly peerId: Buffer;
  readonly address: PeerAddress;
  readonly event: AnnounceEvent;
  /** `left == 0`: the peer has everything. */
  readonly seeder: boolean;
  /** Already capped by the tracker's limit. */
  readonly numWant: number;
  /** Private mode only: the passkey from the announce URL. */
  readonly passkey?: string;
}

export const PEER_ID_LENGTH = 20;

/** Where a stored member (20-byte peer id, then a 6- or 18-byte compact address) lies in a buffer. */
export interface MemberBytes {
  readonly bytes: Buffer;
  readonly start: number;
  readonly end: number;
}

/** A peer in a swarm as the store returns it for selection. */
export interface SwarmPeer {
  readonly peerId: Buffer;
  readonly address: PeerAddress;
  /** `address` in BEP 23 / BEP 7 compact form when the store keeps it so (replies then skip re-encoding it). */
  readonly compact?: Buffer;
  /**
   * Peer id and compact address, contiguous in `bytes[start, end)`, as the Redis store keeps a member:
   * selection and the compact answer read them in place (no Buffer per candidate; a reply has ~50).
   */
  readonly member?: MemberBytes;
  readonly seeder: boolean;
  readonly locality: Locality;
}

export interface SwarmCounts {
  /** Seeders. */
  readonly complete: number;
  /** Leechers. */
  readonly incomplete: number;
  /** Completed downloads reported so far. */
  readonly downloaded: number;
}

export interface AnnounceAnswer extends SwarmCounts {
  readonly peers: readonly SwarmPeer[];
}
