/** Where a torrent is in its life; STATE.md lists the moves between these. */
export type TorrentState = 'checking' | 'downloading' | 'seeding' | 'paused' | 'stopped' | 'error';

/** A snapshot for the CLI, the agent and metrics (bytes and bytes per second). */
export interface TorrentProgress {
  readonly state: TorrentState;
  /** Verified bytes we have. */
  readonly downloaded: number;
  readonly total: number;
  /** Payload bytes sent to peers since the torrent was added. */
  readonly uploaded: number;
  readonly downRate: number;
  readonly upRate: number;
  /** Connected peers, seeds included. */
  readonly peers: number;
  readonly seeds: number;
  readonly piecesHave: number;
  readonly pieceCount: number;
  /**
   * Bytes received from web seeds (HTTP body bytes, retries included). Always set by Torrent; optional
   * only for snapshots of things that have no web seeds (a magnet still fetching its metadata).
   */
  readonly webSeedDownloaded?: number;
  /** Web seeds in use (not disabled by strikes or a bad URL); always set by Torrent. */
  readonly webSeeds?: number;
  /** Pieces checked so far, while checking. */
  readonly checked?: { readonly done: number; readonly total: number };
  /** Why the torrent is in the error state. */
  readonly error?: string;
}

export interface StartupCheck {
  /** Pieces read and hashed. */
  readonly checkedPieces: number;
  /** Pieces taken from resume data without hashing. */
  readonly trustedPieces: number;
  /** Why the resume data was not used, if it was not. */
  readonly resumeIgnored?: string;
}

export interface PeerEvent {
  readonly type: 'connected' | 'disconnected';
  /** host:port */
  readonly address: string;
  /** From the peer id, e.g. "libtorrent 2.0.8.0"; undefined when unknown. */
  readonly client: string | undefined;
  /** Why it disconnected (the DisconnectReason's message, prefixed with its code). */
  readonly reason?: string;
}

export interface TorrentEvents {
  progress: TorrentProgress;
  state: TorrentState;
  /** A piece passed its hash check and was stored. */
  piece: number;
  peer: PeerEvent;
  error: Error;
  complete: undefined;
  /** A web-seed run failed after its retries, or a web seed is unusable (the torrent goes on with peers and other seeds). */
  webSeed: { readonly url: string; readonly code: string; readonly error: string };
  /** A tracker announce failed (the torrent goes on; the announcer retries with backoff). */
  tracker: { readonly error: string; /** The tracker, passkeys hidden (redactTrackerUrl). */ readonly url?: string };
}

export type TorrentErrorCode = 'storage' | 'unsupported' | 'check-failed' | 'stopped';

/** A torrent-level failure: the store failed (full disk), the torrent cannot be served, or it stopped. */
export class TorrentError extends Error {
  override readonly name = 'TorrentError';
  constructor(
    readonly code: TorrentErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
