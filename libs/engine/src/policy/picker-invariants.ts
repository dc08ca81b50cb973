import type { PartialPiece } from './block-state';
import { HAVE, IN_FLIGHT, NOT_WANTED, type PickerState, QUEUED, VERIFYING, blockKey } from './picker-state';

/** Describes the first broken invariant of the picker's data (STATE.md), or undefined. */
export function pickerViolation(state: PickerState): string | undefined {
  return availabilityViolation(state) ?? indexViolation(state) ?? pieceViolation(state) ?? requestViolation(state);
}

function availabilityViolation(state: PickerState): string | undefined {
  const records = [...state.peers.values()];
  const seeds = records.filter((record) => record.bits === undefined).length;
  if (seeds !== state.availability.seeds) return `${seeds} seed peers but a seed count of ${state.availability.seeds}`;
  for (let piece = 0; piece < state.pieceCount; piece++) {
    const holders = records.filter((record) => record.bits?.has(piece) === true).length;
    if (holders !== state.availability.partial(piece)) {
      return `piece ${piece} is had by ${holders} non-seed peers but its availability is ${state.availability.partial(piece)}`;
    }
  }
  return undefined;
}

function indexViolation(state: PickerState): string | undefined {
  for (let priority = 1; priority < state.indexes.length; priority++) {
    const violation = state.indexes[priority]?.violation((piece) => state.availability.partial(piece));
    if (violation !== undefined) return `priority ${priority} index: ${violation}`;
  }
  return undefined;
}

function pieceViolation(state: PickerState): string | undefined {
  let have = 0;
  for (let piece = 0; piece < state.pieceCount; piece++) {
    const pieceState = state.states[piece];
    const priority = state.priorities[piece];
    const indexed = state.indexes.some((index) => index?.has(piece) === true);
    const partial = state.partials.get(piece);
    if (pieceState === HAVE) have++;
    if (indexed !== (pieceState === QUEUED)) return `piece ${piece} in state ${pieceState} is ${indexed ? '' : 'not '}indexed`;
    if (indexed && state.indexes[priority]?.has(piece) !== true) return `piece ${piece} is indexed under another priority`;
    if ((partial !== undefined) !== (pieceState === IN_FLIGHT || pieceState === VERIFYING)) {
      return `piece ${piece} in state ${pieceState} ${partial ? 'has' : 'lacks'} block state`;
    }
    if ((pieceState === QUEUED && priority === 0) || (pieceState === NOT_WANTED && priority > 0)) {
      return `piece ${piece} is in state ${pieceState} at priority ${priority}`;
    }
    if (state.withFree.has(piece) !== (pieceState === IN_FLIGHT && partial!.free > 0)) {
      return `piece ${piece} is wrongly ${state.withFree.has(piece) ? 'in' : 'missing from'} the pieces with free blocks`;
    }
    const violation = partial === undefined ? undefined : partialViolation(partial, pieceState);
    if (violation !== undefined) return violation;
  }
  return have === state.haveCount ? undefined : `${have} pieces had but haveCount is ${state.haveCount}`;
}

function partialViolation(partial: PartialPiece, pieceState: number): string | undefined {
  const counts = { free: 0, requested: 0, received: 0 };
  for (let block = 0; block < partial.blockCount; block++) {
    const status = partial.statusOf(block);
    counts[status]++;
    if ((status === 'requested') !== (partial.requestersOf(block).length > 0)) {
      return `block ${partial.piece}/${block} is ${status} with ${partial.requestersOf(block).length} requesters`;
    }
    if ((status === 'received') !== (partial.senderOf(block) !== undefined)) {
      return `block ${partial.piece}/${block} is ${status} and ${partial.senderOf(block) ? 'has' : 'lacks'} a sender`;
    }
  }
  if (counts.free !== partial.free || counts.requested !== partial.requested || counts.received !== partial.received) {
    return `piece ${partial.piece} counts ${JSON.stringify(counts)} disagree with its counters`;
  }
  if ((pieceState === VERIFYING) !== partial.isComplete) return `piece ${partial.piece} is complete only when verifying`;
  if (pieceState === IN_FLIGHT && partial.free === partial.blockCount) return `piece ${partial.piece} is in flight with nothing requested`;
  return undefined;
}

function requestViolation(state: PickerState): string | undefined {
  let fromBlocks = 0;
  for (const partial of state.partials.values()) {
    for (let block = 0; block < partial.blockCount; block++) {
      for (const peer of partial.requestersOf(block)) {
        fromBlocks++;
        if (state.peers.get(peer)?.requests.has(blockKey(partial.piece, block)) !== true) {
          return `block ${partial.piece}/${block} lists requester ${peer} who does not record the request`;
        }
      }
    }
  }
  let fromPeers = 0;
  for (const record of state.peers.values()) fromPeers += record.requests.size;
  return fromPeers === fromBlocks ? undefined : `peers record ${fromPeers} requests, blocks ${fromBlocks}`;
}
