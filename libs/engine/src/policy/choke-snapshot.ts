import type { PeerId } from './block-state';
import type { Random } from './random';

/** What the choker knows of one connected peer. Rates are payload bytes per second (RateEstimator). */
export interface ChokePeer {
  readonly id: PeerId;
  /** The peer wants to download from us. */
  readonly interested: boolean;
  readonly amChoking: boolean;
  /** From them to us. */
  readonly downloadRate: number;
  /** From us to them. */
  readonly uploadRate: number;
  readonly isSeed: boolean;
  readonly snubbed: boolean;
  readonly connectedAt: number;
  /** When it last became our optimistic unchoke. */
  readonly lastOptimisticAt?: number;
  /** When we last unchoked it: the start of its current unchoke if it is unchoked now. */
  readonly lastUnchokedAt?: number;
  /** How many pieces it has; the cooperative mode's tie-break. */
  readonly pieces?: number;
}

/**
 * 'tit-for-tat': public torrent we download; 'seeding': public torrent we seed; 'cooperative': a fleet
 * torrent whose peers all cooperate.
 */
export type ChokeMode = 'tit-for-tat' | 'seeding' | 'cooperative';

/** libtorrent's seed_choking_algorithm: serve the fastest, or take turns. */
export type SeedChoking = 'fastest-upload' | 'round-robin';

export interface ChokeSnapshot {
  readonly peers: readonly ChokePeer[];
  readonly mode: ChokeMode;
  /** Regular unchoke slots; tit-for-tat and seeding add one optimistic unchoke on top (BEP 3's 4 + 1). */
  readonly slots: number;
  readonly now: number;
  readonly random: Random;
  /** The optimistic unchoke chosen last time, if any. */
  readonly currentOptimistic?: PeerId;
  readonly seedChoking?: SeedChoking;
  /** How long an optimistic unchoke lasts (default 30 s, BEP 3). */
  readonly optimisticIntervalMs?: number;
  /** Peers connected for less than this are 3x as likely to win the optimistic unchoke (default 90 s). */
  readonly newPeerMs?: number;
  /** How long a peer keeps its slot before yielding to waiting peers, when taking turns (default 60 s). */
  readonly rotationMs?: number;
}

export interface ChokeDecision {
  /** Every peer to unchoke, the optimistic one included; all other peers are choked. */
  readonly unchoke: ReadonlySet<PeerId>;
  readonly optimistic: PeerId | undefined;
}
