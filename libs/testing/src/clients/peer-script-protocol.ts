import type { PeerAddress, PeerProgress, PeerRole, StartPeerOptions } from './peer-types';

/**
 * The JSON argument of a scripted peer process: libs/testing/python/lt_peer.py (libtorrent) and
 * bench/wire/our-peer.ts (our engine) take the same one, so tests and benches drive both alike.
 */
export interface PeerScriptArgs {
  readonly torrent: string;
  readonly directory: string;
  readonly mode: PeerRole;
  /** 0 = any free port (reported in the ready line). */
  readonly listenPort?: number;
  /** Connected to once the torrent is checked. */
  readonly peers?: readonly PeerAddress[];
  /** Announce URLs besides the torrent's own. */
  readonly trackers?: readonly string[];
  /** Seed without hashing the content first. */
  readonly trustData?: boolean;
  readonly progressIntervalMs?: number;
  /** Client-specific tuning (libtorrent settings_pack keys), recorded by benches. */
  readonly settings?: Record<string, unknown>;
}

/** One line on the script's stdout. */
export type PeerScriptEvent =
  | { readonly event: 'ready'; readonly port: number; readonly infoHash: string; readonly state: string }
  | ({ readonly event: 'progress' } & PeerProgress)
  | { readonly event: 'complete' }
  | { readonly event: 'error'; readonly message: string };

/**
 * One line on the script's stdin; closing stdin asks the script to shut down. 'announce' = announce to
 * the trackers now (to learn of a peer that joined after the last announce).
 */
export type PeerScriptCommand = ({ readonly command: 'connect' } & PeerAddress) | { readonly command: 'announce' };

/** What starting a scripted peer takes; turned into PeerScriptArgs by peerScriptArgs. */
export interface ScriptedPeerOptions extends StartPeerOptions {
  /** 0 (default) = any free port. */
  readonly listenPort?: number;
  /** Connected to once the torrent is checked. */
  readonly peers?: readonly PeerAddress[];
  /** Announce URLs besides the torrent's own. */
  readonly trackers?: readonly string[];
  /** Seed without hashing first (libtorrent seed_mode). */
  readonly trustData?: boolean;
  readonly progressIntervalMs?: number;
  /** libtorrent settings_pack overrides on top of the hermetic defaults (no DHT, LSD, UPnP, NAT-PMP, uTP). */
  readonly settings?: Record<string, unknown>;
}

export function peerScriptArgs(options: ScriptedPeerOptions): PeerScriptArgs {
  return {
    torrent: options.torrentPath,
    directory: options.directory,
    mode: options.role,
    listenPort: options.listenPort ?? 0,
    peers: options.peers ?? [],
    trackers: options.trackers ?? [],
    trustData: options.trustData ?? false,
    progressIntervalMs: options.progressIntervalMs ?? 1000,
    settings: options.settings ?? {},
  };
}
