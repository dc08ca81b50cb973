import type { PeerId } from './block-state';
import type { ChokeDecision, ChokePeer, ChokeSnapshot } from './choke-snapshot';
import { checkInteger, checkNumber } from './errors';
import { chooseOptimistic } from './optimistic-unchoke';

type Compare = (a: ChokePeer, b: ChokePeer) => number;

/**
 * Who to unchoke this round (run it every 10 s, BEP 3). Only interested peers are unchoked.
 * - tit-for-tat: the `slots` peers sending us the most (snubbed peers excluded: they are not
 *   reciprocating), plus one rotating optimistic unchoke.
 * - seeding: `slots` peers by our upload rate to them ('fastest-upload') or taking turns ('round-robin',
 *   the default, so every leecher gets served), plus the optimistic unchoke.
 * - cooperative: `slots` peers taking turns, no reciprocity and no optimistic slot, since every fleet peer
 *   cooperates and the goal is the swarm's total throughput (see `cooperativeOrder`).
 */
export function decideChokes(snapshot: ChokeSnapshot): ChokeDecision {
  const { now, mode } = snapshot;
  checkInteger('slots', snapshot.slots, 0, Number.MAX_SAFE_INTEGER);
  checkNumber('now', now, -Infinity);
  const rotationMs = snapshot.rotationMs ?? 60_000;
  const interested = snapshot.peers.filter((peer) => peer.interested);
  const eligible = mode === 'tit-for-tat' ? interested.filter((peer) => !peer.snubbed) : interested;
  const order: Compare =
    mode === 'tit-for-tat' ? byDownloadRate
    : mode === 'cooperative' ? cooperativeOrder(now, rotationMs)
    : snapshot.seedChoking === 'fastest-upload' ? byUploadRate
    : seedingTurns(now, rotationMs);
  const regular = [...eligible].sort(order).slice(0, snapshot.slots).map((peer) => peer.id);
  const unchoke = new Set<PeerId>(regular);
  if (mode === 'cooperative') return { unchoke, optimistic: undefined };
  const intervalMs = snapshot.optimisticIntervalMs ?? 30_000;
  const optimistic = chooseOptimistic({
    candidates: interested.filter((peer) => !unchoke.has(peer.id)),
    current: snapshot.currentOptimistic,
    now,
    random: snapshot.random,
    intervalMs,
    newPeerMs: snapshot.newPeerMs ?? 3 * intervalMs,
  });
  if (optimistic !== undefined) unchoke.add(optimistic);
  return { unchoke, optimistic };
}

/** Tit-for-tat: best uploaders to us first; on a tie keep who is unchoked (no churn), then the oldest. */
const byDownloadRate: Compare = (a, b) => b.downloadRate - a.downloadRate || stability(a, b);

/**
 * libtorrent's fastest_upload: peers we upload to fastest first. A choked peer's rate counts as 0 so the
 * residue of its last unchoke does not put it first again.
 */
const byUploadRate: Compare = (a, b) => uploadRate(b) - uploadRate(a) || waitedLonger(a, b) || stability(a, b);

function uploadRate(peer: ChokePeer): number {
  return peer.amChoking ? 0 : peer.uploadRate;
}

/**
 * libtorrent's round_robin: a peer unchoked for less than `rotationMs` keeps its slot (order inside by
 * `within`); then choked peers, the one waiting longest first; last, peers whose turn is over.
 */
function takingTurns(now: number, rotationMs: number, within: Compare): Compare {
  const rank = (peer: ChokePeer): number => {
    if (peer.amChoking) return 1;
    return now - (peer.lastUnchokedAt ?? -Infinity) < rotationMs ? 0 : 2;
  };
  return (a, b) => rank(a) - rank(b) || (rank(a) === 0 ? within(a, b) : waitedLonger(a, b));
}

function seedingTurns(now: number, rotationMs: number): Compare {
  const turns = takingTurns(now, rotationMs, byUploadRate);
  return (a, b) => turns(a, b) || stability(a, b);
}

/**
 * Cooperative (fleet) mode takes turns like round_robin, so no interested peer waits more than
 * ceil(interested / slots) rotations. Between peers waiting equally long (typically all never unchoked,
 * at start), the one with the fewest pieces goes first: a peer with nothing has no upload to offer the
 * swarm, so giving it pieces turns on another uploader, and serving the furthest-behind first shortens the
 * time until the last peer finishes. Fewest-pieces is only a tie-break because as the primary key the
 * least-complete peers would keep winning every rotation and a nearly-done peer could starve.
 */
function cooperativeOrder(now: number, rotationMs: number): Compare {
  const fewestPieces: Compare = (a, b) => (a.pieces ?? 0) - (b.pieces ?? 0);
  const turns = takingTurns(now, rotationMs, stability);
  return (a, b) => turns(a, b) || fewestPieces(a, b) || a.connectedAt - b.connectedAt || compareIds(a, b);
}

function stability(a: ChokePeer, b: ChokePeer): number {
  return Number(a.amChoking) - Number(b.amChoking) || a.connectedAt - b.connectedAt || compareIds(a, b);
}

function waitedLonger(a: ChokePeer, b: ChokePeer): number {
  const waitedA = a.lastUnchokedAt ?? -Infinity;
  const waitedB = b.lastUnchokedAt ?? -Infinity;
  if (waitedA !== waitedB) return waitedA < waitedB ? -1 : 1;
  return 0;
}

function compareIds(a: ChokePeer, b: ChokePeer): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
