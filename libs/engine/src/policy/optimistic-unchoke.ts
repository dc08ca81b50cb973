import type { PeerId } from './block-state';
import type { ChokePeer } from './choke-snapshot';
import type { Random } from './random';

export interface OptimisticInput {
  /** Interested peers not already unchoked by the regular slots. */
  readonly candidates: readonly ChokePeer[];
  readonly current: PeerId | undefined;
  readonly now: number;
  readonly random: Random;
  readonly intervalMs: number;
  readonly newPeerMs: number;
}

/**
 * The optimistic unchoke (BEP 3): keep the current one for its interval, then hold a lottery among the
 * others, newly connected peers holding three tickets so they quickly get a first piece to trade. A
 * snubbed peer holds one ticket even if new: it may get another chance, not a head start.
 */
export function chooseOptimistic(input: OptimisticInput): PeerId | undefined {
  const current = input.candidates.find((peer) => peer.id === input.current);
  if (current?.lastOptimisticAt !== undefined && input.now - current.lastOptimisticAt < input.intervalMs) {
    return current.id;
  }
  const others = input.candidates.filter((peer) => peer.id !== input.current);
  const pool = others.length > 0 ? others : input.candidates;
  const tickets = pool.map((peer) => (!peer.snubbed && input.now - peer.connectedAt < input.newPeerMs ? 3 : 1));
  let draw = input.random() * tickets.reduce((sum, count) => sum + count, 0);
  for (let at = 0; at < pool.length; at++) {
    draw -= tickets[at];
    if (draw < 0) return pool[at].id;
  }
  return pool[pool.length - 1]?.id;
}
