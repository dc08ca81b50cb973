export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

export type PeerRole = 'seed' | 'download';

/** One client's view of its torrent, in the shape of the engine's TorrentProgress (bytes, bytes/s). */
export interface PeerProgress {
  readonly state: string;
  /** Verified bytes held. */
  readonly downloaded: number;
  readonly total: number;
  readonly uploaded: number;
  readonly downRate: number;
  readonly upRate: number;
  /** Connected peers. */
  readonly peers: number;
}

/** A BitTorrent client running as its own process on 127.0.0.1, stopped by PID. */
export interface ReferencePeer {
  /** 'libtorrent', 'transmission', 'aria2', 'seedfleet'. */
  readonly client: string;
  readonly pid: number;
  /** The peer-wire listen port. */
  readonly port: number;
  /**
   * False for Transmission 3.00, which drops 127.x peers from tracker answers as "martian" addresses and
   * so never dials a loopback peer: the other side has to connect to it (it accepts incoming ones).
   */
  readonly dialsLoopbackPeers: boolean;
  progress(): Promise<PeerProgress>;
  /** Resolves when every byte is verified; rejects if the client reports an error, exits, or time runs out. */
  whenComplete(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface StartPeerOptions {
  readonly torrentPath: string;
  /** Content lives at directory/<torrent name> (seed: already there; download: written there). */
  readonly directory: string;
  readonly role: PeerRole;
  /** How long starting may take, hash check of seed data included. */
  readonly readyTimeoutMs?: number;
}
