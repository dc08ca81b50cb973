import type { BlockRef, PartialPiece, PeerId } from './block-state';
import { requestDuplicates } from './endgame';
import { chooseNewPieces } from './new-pieces';
import { type PeerRecord, type PickerState, QUEUED } from './picker-state';

/** Pieces a peer on probation may hold at once (see PickOptions.wholePieces). */
export const PROBATION_PIECES = 2;

/** One pick, its options already checked by PiecePicker.pick. */
export interface BlockPick {
  readonly peer: PeerId;
  readonly record: PeerRecord;
  /** At least 1. */
  readonly count: number;
  /** The allowed-fast pieces a choking peer may be asked for (valid indexes only). */
  readonly restrictTo?: ReadonlySet<number>;
  /** Pieces the peer suggested (valid indexes only; empty with `restrictTo`). */
  readonly suggested: ReadonlySet<number>;
  readonly wholePieces: boolean;
  readonly maxPartialPieces: number;
  /** New pieces at random instead of rarest first (libtorrent's initial random pieces). */
  readonly randomly: boolean;
  readonly endgameMaxRequesters: number;
}

/**
 * Which blocks to ask `pick.peer` for, marked requested by it: blocks of pieces already in flight first (to
 * finish them and keep memory bounded), then suggested pieces, then new pieces rarest first with a random
 * tie-break, then endgame duplicates. A peer on probation finishes and starts pieces of its own; a seed
 * leaves in-flight pieces other peers could send until last.
 */
export function pickBlocks(state: PickerState, pick: BlockPick): BlockRef[] {
  const { peer, record, count, restrictTo } = pick;
  const out: BlockRef[] = [];
  const has = (piece: number): boolean => record.bits === undefined || record.bits.has(piece);
  const eligible = restrictTo === undefined ? has : (piece: number) => restrictTo.has(piece) && has(piece);

  const whole = pick.wholePieces && restrictTo === undefined;
  // A seed (the origin, typically) first finishes pieces no other peer can send, then starts new ones
  // (rarest first: those only seeds have lead), and joins pieces other peers could send last, so the
  // slower peers keep pieces of their own to send instead of the fast seed taking their blocks.
  const seedFirst = record.bits === undefined && restrictTo === undefined && !whole;
  const unique = (piece: number): boolean => state.availability.partial(piece) === 0;
  requestPartials(state, peer, seedFirst ? unique : eligible, count, out, whole ? 'own' : 'unowned');
  if (out.length >= count) return out;
  const owned = whole ? ownedCount(state, peer) : 0;
  // On probation a peer holds at most PROBATION_PIECES pieces at once, so a liar's first bad piece
  // convicts it before it could have poisoned many more.
  let startable = whole ? PROBATION_PIECES - owned : Number.MAX_SAFE_INTEGER;
  const owner = whole ? peer : undefined;
  const canStart = (): boolean => state.partials.size < pick.maxPartialPieces;
  for (const piece of restrictTo ?? pick.suggested) {
    if (out.length >= count || !canStart() || startable <= 0) break;
    if (state.states[piece] === QUEUED && has(piece)) {
      state.requestFree(startFor(state, piece, owner), peer, count, out);
      startable--;
    }
  }
  if (restrictTo === undefined && startable > 0) {
    const room = Math.min(startable, pick.maxPartialPieces - state.partials.size);
    for (const piece of chooseNewPieces(state, record, count - out.length, room, pick.randomly)) {
      state.requestFree(startFor(state, piece, owner), peer, count, out);
    }
  }
  // On probation but nothing of its own could start: better a shared piece than an idle peer.
  if (whole && owned === 0 && out.length === 0) requestPartials(state, peer, eligible, count, out, 'unowned');
  if (seedFirst && out.length < count) requestPartials(state, peer, eligible, count, out, 'unowned');
  if (out.length < count && state.inEndgame) {
    requestDuplicates(state, peer, eligible, count, pick.endgameMaxRequesters, out);
  }
  return out;
}

/** Free blocks of in-flight pieces, oldest first: those reserved for `peer` ('own') or for nobody ('unowned'). */
function requestPartials(state: PickerState, peer: PeerId, eligible: (piece: number) => boolean, count: number, out: BlockRef[], which: 'own' | 'unowned'): void {
  for (const piece of state.withFree) {
    if (out.length >= count) return;
    const partial = state.partials.get(piece)!;
    const mine = partial.owner === peer;
    if ((which === 'own' ? mine : partial.owner === undefined || mine) && eligible(piece)) state.requestFree(partial, peer, count, out);
  }
}

/** In-flight and verifying pieces reserved for `peer`. */
function ownedCount(state: PickerState, peer: PeerId): number {
  let owned = 0;
  for (const partial of state.partials.values()) if (partial.owner === peer) owned++;
  return owned;
}

function startFor(state: PickerState, piece: number, owner: PeerId | undefined): PartialPiece {
  const partial = state.start(piece);
  partial.owner = owner;
  return partial;
}
