import fc from 'fast-check';
import type { BlockRef } from './block-state';
import { PiecePicker } from './piece-picker';
import { pieceSet } from './picker-notation';
import { seededRandom } from './random';

const PEERS = ['p0', 'p1', 'p2', 'p3'];

const event = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('join' as const), peer: fc.nat(3), pieces: fc.oneof(fc.constant('all' as const), fc.constant('none' as const), fc.string({ unit: fc.constantFrom(' ', '*'), maxLength: 8 })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), peer: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('have' as const), peer: fc.nat(3), piece: fc.nat(7) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pick' as const), peer: fc.nat(3), count: fc.nat(12), restrict: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('receive' as const), peer: fc.nat(3), which: fc.nat(30), target: fc.constantFrom('requested' as const, 'in-flight' as const, 'anywhere' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), peer: fc.nat(3), which: fc.nat(30), arrivesLate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('choke' as const), peer: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('hash' as const), piece: fc.nat(7), ok: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('priority' as const), piece: fc.nat(7), priority: fc.nat(7) }) },
);
type Event = typeof event extends fc.Arbitrary<infer T> ? T : never;

/** Applies one event the way the engine would, skipping events that make no sense in the current state. */
function apply(picker: PiecePicker, joined: Set<string>, step: Event): void {
  const peer = 'peer' in step ? PEERS[step.peer] : '';
  if (step.kind !== 'join' && 'peer' in step && !joined.has(peer)) return;
  switch (step.kind) {
    case 'join':
      if (joined.has(peer)) return;
      picker.addPeer(peer, typeof step.pieces === 'string' && step.pieces !== 'all' && step.pieces !== 'none' ? pieceSet(step.pieces) : step.pieces);
      joined.add(peer);
      return;
    case 'leave':
      picker.removePeer(peer);
      joined.delete(peer);
      return;
    case 'have':
      picker.peerHave(peer, step.piece % picker.pieceCount);
      return;
    case 'pick': {
      const picked = picker.pick(peer, step.count, step.restrict ? { restrictTo: [0, 3, 5] } : {});
      expect(picked.length).toBeLessThanOrEqual(step.count);
      return;
    }
    case 'receive': {
      const target = receiveTarget(picker, peer, step.which, step.target);
      const before = picker.requestersOf(target.piece, target.block);
      const result = picker.blockReceived(peer, target.piece, target.block);
      if (result.outcome === 'accepted') expect([...result.cancel].sort()).toEqual(before.filter((p) => p !== peer).sort());
      return;
    }
    case 'release': {
      const requests = picker.requestsOf(peer);
      if (requests.length > 0) {
        const { piece, block } = requests[step.which % requests.length];
        expect(picker.release(peer, piece, block)).toBe(true);
        // A timed-out request whose block turns up afterwards.
        if (step.arrivesLate) picker.blockReceived(peer, piece, block);
      }
      return;
    }
    case 'choke':
      picker.releasePeer(peer);
      expect(picker.requestsOf(peer)).toEqual([]);
      return;
    case 'hash': {
      const piece = step.piece % picker.pieceCount;
      if (picker.pieceState(piece) !== 'verifying') return;
      if (step.ok) picker.pieceVerified(piece);
      else expect(picker.pieceFailed(piece).length).toBeGreaterThan(0);
      return;
    }
    case 'priority':
      picker.setPriority(step.piece % picker.pieceCount, step.priority);
      return;
  }
}

/** A block this peer was asked for, any block of an in-flight piece (late or unsolicited), or anything. */
function receiveTarget(picker: PiecePicker, peer: string, which: number, target: 'requested' | 'in-flight' | 'anywhere'): BlockRef {
  const requests = picker.requestsOf(peer);
  if (target === 'requested' && requests.length > 0) return requests[which % requests.length];
  const inFlight = [...Array(picker.pieceCount).keys()].filter((piece) => picker.pieceState(piece) === 'in-flight');
  if (target === 'in-flight' && inFlight.length > 0) {
    const piece = inFlight[which % inFlight.length];
    return { piece, block: which % picker.blockCount(piece) };
  }
  return { piece: which % 9, block: which % 4 };
}

describe('PiecePicker invariants', () => {
  it('hold after every event of any sequence of joins, leaves, picks, receives, releases and hash results', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
        fc.array(event, { maxLength: 200, size: 'max' }),
        fc.integer(),
        fc.record({ maxPartialPieces: fc.integer({ min: 1, max: 8 }), endgameMaxRequesters: fc.integer({ min: 1, max: 3 }), randomFirstPieces: fc.nat(2) }),
        (blockCounts, events, seed, options) => {
          const picker = new PiecePicker(blockCounts, { random: seededRandom(seed), ...options });
          const joined = new Set<string>();
          for (const step of events) {
            apply(picker, joined, step);
            picker.checkInvariants();
            if (picker.partialCount > options.maxPartialPieces) throw new Error(`${picker.partialCount} partial pieces`);
            let mostRequesters = 0;
            for (let piece = 0; piece < blockCounts.length; piece++) {
              for (let block = 0; block < blockCounts[piece]; block++) {
                mostRequesters = Math.max(mostRequesters, picker.requestersOf(piece, block).length);
              }
            }
            if (mostRequesters > options.endgameMaxRequesters) throw new Error(`a block has ${mostRequesters} requesters`);
          }
          for (const peer of [...joined]) picker.removePeer(peer);
          for (let piece = 0; piece < blockCounts.length; piece++) expect(picker.availability(piece)).toBe(0);
          picker.checkInvariants();
        },
      ),
      { numRuns: 500 },
    );
  });
});
