/** BEP 3 reference client and libtorrent: a peer that sends nothing for a minute is snubbing us. */
export const DEFAULT_SNUB_AFTER_MS = 60_000;

export interface SnubInput {
  /** Requests we sent this peer that it has not answered. */
  readonly outstandingRequests: number;
  /**
   * When the peer last showed progress: its last block, or the moment we sent a request while none was
   * outstanding (a peer cannot be late with nothing asked of it).
   */
  readonly lastProgressAt: number;
}

/**
 * A peer that delivered nothing for `snubAfterMs` while having requests outstanding is snubbed: it gets
 * one request at a time (requestQueueDepth), loses its tit-for-tat slot and the newcomer bonus for the
 * optimistic unchoke (choker.ts). It stops being snubbed as soon as a block arrives.
 */
export function isSnubbed(input: SnubInput, now: number, snubAfterMs = DEFAULT_SNUB_AFTER_MS): boolean {
  return input.outstandingRequests > 0 && now - input.lastProgressAt >= snubAfterMs;
}
