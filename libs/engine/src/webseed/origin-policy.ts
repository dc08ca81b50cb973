/**
 * How much a torrent may take from its web seeds (the origin).
 * - `fallback` (the fleet default): only pieces no connected peer has, unless no peer can help (none
 *   known) or the download stalled; while the first peers are being dialed or have not said what they
 *   have, it waits for them (at most the stall time). Origin bytes stay near the torrent size however
 *   many agents download.
 * - `assist`: also any missing piece while the peers' download rate is below `downloadGoal` (or always,
 *   without a goal), still taking pieces peers lack first: trades origin bytes for speed.
 * - `off`: never.
 */
export type OriginMode = 'fallback' | 'assist' | 'off';

export const ORIGIN_MODES: readonly OriginMode[] = ['fallback', 'assist', 'off'];

/** Which pieces the web seeds may fetch now: none, only those no connected peer has, or any missing piece. */
export type OriginScope = 'none' | 'peerless' | 'any';

/** Peers that delivered nothing for this long count as stalled (default of `stallMs`). */
export const DEFAULT_ORIGIN_STALL_MS = 5000;

export interface OriginSnapshot {
  readonly mode: OriginMode;
  readonly now: number;
  /** Connected peers whose pieces are known (bitfield, have-all, have-none). */
  readonly announcedPeers: number;
  /** Dials in progress and connected peers that have not announced their pieces yet. */
  readonly pendingPeers: number;
  /** When peers last delivered a payload block, or when downloading (re)started if later. */
  readonly lastPeerProgressAt: number;
  /** The peers' download rate, bytes per second. */
  readonly peerDownRate: number;
  /** assist: the rate wanted, bytes per second (undefined = as fast as possible). */
  readonly downloadGoal?: number;
  readonly stallMs?: number;
}

/** The origin policy (pure): what the web seeds may fetch in this situation. */
export function originScope(snapshot: OriginSnapshot): OriginScope {
  if (snapshot.mode === 'off') return 'none';
  const stalled = snapshot.now - snapshot.lastPeerProgressAt >= (snapshot.stallMs ?? DEFAULT_ORIGIN_STALL_MS);
  if (stalled) return 'any';
  if (snapshot.announcedPeers === 0) {
    // Which pieces peers lack is unknown until one announces: fallback waits for those on their way.
    return snapshot.pendingPeers > 0 && snapshot.mode === 'fallback' ? 'none' : 'any';
  }
  if (snapshot.mode === 'fallback') return 'peerless';
  const goal = snapshot.downloadGoal;
  return goal === undefined || goal <= 0 || snapshot.peerDownRate < goal ? 'any' : 'peerless';
}
