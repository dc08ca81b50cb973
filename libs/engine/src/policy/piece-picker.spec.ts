import { PolicyError } from './errors';
import { PiecePicker, PROBATION_PIECES } from './piece-picker';
import { blockNames, pieceSet, piecesOf, setupPicker } from './picker-notation';
import { seededRandom } from './random';

describe('PiecePicker: which pieces', () => {
  it.each([
    // availability, have, what a seed peer gets first (one piece's worth of blocks)
    { availability: '2223333', have: '       ', expected: [0, 1, 2] },
    { availability: '3331333', have: '       ', expected: [3] },
    { availability: '1111222', have: '* * *  ', expected: [1, 3] },
    { availability: '3333332', have: '      *', expected: [0, 1, 2, 3, 4, 5] },
    { availability: '5415', have: '    ', expected: [2] },
  ])('rarest first: $availability with have "$have" starts one of $expected', ({ availability, have, expected }) => {
    for (let seed = 1; seed <= 20; seed++) {
      const picker = setupPicker({ availability, have, seed });
      picker.addPeer('peer', 'all');
      const picked = piecesOf(picker.pick('peer', 4));
      expect(picked).toHaveLength(1);
      expect(expected).toContain(picked[0]);
    }
  });

  it('takes the rarest pieces in order of rarity when asked for many blocks', () => {
    const picker = setupPicker({ availability: '4132', blocks: 2 });
    picker.addPeer('peer', 'all');
    expect(blockNames(picker.pick('peer', 8))).toEqual(['1:0', '1:1', '3:0', '3:1', '2:0', '2:1', '0:0', '0:1']);
    picker.checkInvariants();
  });

  it('only picks pieces the peer has', () => {
    const picker = setupPicker({ availability: '1211' });
    picker.addPeer('peer', pieceSet('  * '));
    expect(piecesOf(picker.pick('peer', 100))).toEqual([2]);
  });

  it('breaks ties at random, the same way for the same seed', () => {
    const firstPick = (seed: number) => {
      const picker = setupPicker({ availability: '11111111', seed });
      picker.addPeer('peer', 'all');
      return picker.pick('peer', 1)[0].piece;
    };
    const picks = Array.from({ length: 200 }, (_, seed) => firstPick(seed));
    expect(Array.from({ length: 200 }, (_, seed) => firstPick(seed))).toEqual(picks);
    expect(new Set(picks)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('counts have messages and have-all peers as availability', () => {
    const picker = setupPicker({ availability: '1111' });
    picker.addPeer('late', 'none');
    picker.peerHave('late', 0);
    picker.peerHave('late', 0);
    picker.peerHave('late', 1);
    picker.addPeer('seed', 'all');
    expect([0, 1, 2, 3].map((piece) => picker.availability(piece))).toEqual([3, 3, 2, 2]);
    expect(piecesOf(picker.pick('seed', 8)).sort()).toEqual([2, 3]);
    picker.checkInvariants();
  });

  it('picks pieces only seeds have, for a seed', () => {
    const picker = setupPicker({ availability: '0000' });
    picker.addPeer('seed', 'all');
    expect(piecesOf(picker.pick('seed', 16)).sort()).toEqual([0, 1, 2, 3]);
  });

  it('finishes partial pieces before starting rarer ones', () => {
    const picker = setupPicker({ availability: '1311', partial: ' 2  ' });
    picker.addPeer('peer', pieceSet('****'));
    expect(blockNames(picker.pick('peer', 3))).toEqual(['1:2', '1:3', expect.stringMatching(/^[023]:0$/)]);
  });

  it('has a seed finish pieces only seeds have, then start new ones, and join pieces other peers could send last', () => {
    // Piece 0 is in flight and no other peer has it; piece 1 is in flight and another peer has it.
    const picker = setupPicker({ availability: '0100', partial: '22  ' });
    picker.addPeer('seed', 'all');
    expect(blockNames(picker.pick('seed', 4))).toEqual(['0:2', '0:3', expect.stringMatching(/^[23]:0$/), expect.stringMatching(/^[23]:1$/)]);
    // Once nothing new may start (maxPartialPieces), the seed joins the piece the other peer has.
    const capped = setupPicker({ availability: '0100', partial: ' 2  ', options: { maxPartialPieces: 1 } });
    capped.addPeer('seed', 'all');
    expect(blockNames(capped.pick('seed', 2))).toEqual(['1:2', '1:3']);
    picker.checkInvariants();
    capped.checkInvariants();
  });

  it('has a seed join in-flight pieces first when no other peer is connected', () => {
    const picker = setupPicker({ availability: '0000', partial: ' 2  ' });
    picker.addPeer('seed', 'all');
    expect(blockNames(picker.pick('seed', 2))).toEqual(['1:2', '1:3']);
  });

  it('does not start more pieces than maxPartialPieces', () => {
    const picker = setupPicker({ availability: '1111', options: { maxPartialPieces: 2 } });
    picker.addPeer('fast', 'all');
    picker.addPeer('other', 'all');
    expect(piecesOf(picker.pick('fast', 100))).toHaveLength(2);
    expect(picker.pick('other', 100)).toEqual([]);
    expect(picker.partialCount).toBe(2);
  });

  it('picks at random while fewer than randomFirstPieces pieces are had', () => {
    const firstPieces = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      const picker = setupPicker({ availability: '19999999', seed, options: { randomFirstPieces: 1 } });
      picker.addPeer('peer', 'all');
      firstPieces.add(picker.pick('peer', 1)[0].piece);
    }
    expect(firstPieces.size).toBeGreaterThan(2);
  });
});

describe('PiecePicker: priorities, allowed fast, suggestions', () => {
  it.each([
    { priority: '1171', expected: [2] },
    { priority: '4404', expected: [0, 1, 3] },
    { priority: '0001', expected: [3] },
  ])('priority $priority starts one of $expected', ({ priority, expected }) => {
    const picker = setupPicker({ availability: '1122', priority });
    picker.addPeer('peer', 'all');
    expect(expected).toContain(picker.pick('peer', 1)[0].piece);
  });

  it('never picks priority 0 pieces, and finishes when the rest is had', () => {
    const picker = setupPicker({ availability: '11', priority: '01', blocks: 1 });
    picker.addPeer('peer', 'all');
    expect(blockNames(picker.pick('peer', 10))).toEqual(['1:0']);
    expect(picker.blockReceived('peer', 1, 0).pieceComplete).toBe(true);
    picker.pieceVerified(1);
    expect(picker.isFinished).toBe(true);
    expect(picker.isInteresting('peer')).toBe(false);
  });

  it('dropping an in-flight piece to priority 0 returns the requests to cancel', () => {
    const picker = setupPicker({ availability: '1', blocks: 3, partial: '1' });
    picker.addPeer('peer', 'all');
    picker.pick('peer', 2);
    expect(picker.setPriority(0, 0)).toEqual([
      { peer: 'peer', piece: 0, block: 1 },
      { peer: 'peer', piece: 0, block: 2 },
    ]);
    expect(picker.pieceState(0)).toBe('not-wanted');
    expect(picker.requestsOf('peer')).toEqual([]);
    picker.setPriority(0, 4);
    expect(picker.pieceState(0)).toBe('queued');
    picker.checkInvariants();
  });

  it('restricts a choked peer to its allowed-fast pieces', () => {
    const picker = setupPicker({ availability: '1511', partial: '2   ' });
    picker.addPeer('peer', 'all');
    expect(piecesOf(picker.pick('peer', 100, { restrictTo: [1, 99] }))).toEqual([1]);
  });

  it('starts suggested pieces before rarer ones, after partial pieces', () => {
    const picker = setupPicker({ availability: '2151', partial: '2   ' });
    picker.addPeer('peer', pieceSet('****'));
    expect(piecesOf(picker.pick('peer', 6, { suggested: [2] }))).toEqual([0, 2]);
  });

  it('knows each piece\'s block count: short last piece', () => {
    const picker = setupPicker({ availability: '111', blocks: [4, 4, 1] });
    picker.addPeer('peer', 'all');
    const picked = blockNames(picker.pick('peer', 100)).sort();
    expect(picked).toEqual(['0:0', '0:1', '0:2', '0:3', '1:0', '1:1', '1:2', '1:3', '2:0']);
    expect(picker.blockReceived('peer', 2, 0).pieceComplete).toBe(true);
    expect(picker.blockReceived('peer', 2, 1).outcome).toBe('unwanted');
  });
});

describe('PiecePicker: block lifecycle', () => {
  function twoPeers(blocks = 2) {
    const picker = setupPicker({ availability: '1', blocks });
    picker.addPeer('a', 'all');
    picker.addPeer('b', 'all');
    return picker;
  }

  it('completes, verifies and has a piece', () => {
    const picker = twoPeers();
    picker.pick('a', 2);
    expect(picker.blockReceived('a', 0, 0)).toEqual({ outcome: 'accepted', cancel: [], pieceComplete: false });
    expect(picker.blockReceived('a', 0, 1)).toEqual({ outcome: 'accepted', cancel: [], pieceComplete: true });
    expect(picker.pieceState(0)).toBe('verifying');
    expect(picker.blockReceived('b', 0, 1).outcome).toBe('duplicate');
    picker.pieceVerified(0);
    expect(picker.pieceState(0)).toBe('have');
    expect(picker.haveCount).toBe(1);
    expect(picker.blockReceived('b', 0, 1).outcome).toBe('duplicate');
    picker.checkInvariants();
  });

  it('a released request (reject, timeout) frees the block for the next pick', () => {
    const picker = twoPeers(3);
    expect(blockNames(picker.pick('a', 3))).toEqual(['0:0', '0:1', '0:2']);
    picker.blockReceived('a', 0, 0);
    expect(picker.release('a', 0, 1)).toBe(true);
    expect(picker.release('a', 0, 1)).toBe(false);
    expect(picker.release('b', 0, 2)).toBe(false);
    expect(picker.blockStatus(0, 1)).toBe('free');
    expect(blockNames(picker.pick('b', 1))).toEqual(['0:1']);
    picker.checkInvariants();
  });

  it('accepts a block that arrives after its request timed out', () => {
    const picker = twoPeers(2);
    picker.pick('a', 2);
    picker.blockReceived('a', 0, 0);
    picker.release('a', 0, 1);
    expect(picker.blockReceived('a', 0, 1)).toEqual({ outcome: 'accepted', cancel: [], pieceComplete: true });
    picker.checkInvariants();
  });

  it('queues a piece again when all its requests are released', () => {
    const picker = twoPeers(2);
    picker.pick('a', 2);
    expect(picker.pieceState(0)).toBe('in-flight');
    expect(picker.releasePeer('a')).toEqual([{ piece: 0, block: 0 }, { piece: 0, block: 1 }]);
    expect(picker.pieceState(0)).toBe('queued');
    expect(picker.partialCount).toBe(0);
    picker.checkInvariants();
  });

  it('a disconnect frees the peer\'s blocks and lowers availability', () => {
    const picker = setupPicker({ availability: '11', blocks: 2 });
    picker.addPeer('leaver', pieceSet('**'));
    picker.pick('leaver', 1);
    expect(picker.removePeer('leaver')).toEqual([{ piece: expect.any(Number), block: 0 }]);
    expect([picker.availability(0), picker.availability(1)]).toEqual([1, 1]);
    expect(() => picker.pick('leaver', 1)).toThrow(PolicyError);
    picker.checkInvariants();
  });

  it('a failed hash frees every block and names the senders', () => {
    const picker = twoPeers(3);
    picker.pick('a', 2);
    picker.pick('b', 1);
    picker.blockReceived('a', 0, 0);
    picker.blockReceived('b', 0, 2);
    expect(picker.blockReceived('a', 0, 1).pieceComplete).toBe(true);
    expect(picker.pieceFailed(0).sort()).toEqual(['a', 'b']);
    expect(picker.pieceState(0)).toBe('queued');
    expect([0, 1, 2].map((block) => picker.blockStatus(0, block))).toEqual(['free', 'free', 'free']);
    expect(blockNames(picker.pick('b', 3))).toEqual(['0:0', '0:1', '0:2']);
    picker.checkInvariants();
  });

  it('treats blocks outside the torrent as unwanted data, not errors', () => {
    const picker = twoPeers();
    expect(picker.blockReceived('a', 5, 0).outcome).toBe('unwanted');
    expect(picker.blockReceived('a', 0, -1).outcome).toBe('unwanted');
    expect(picker.blockReceived('a', 0, 0).outcome).toBe('unwanted');
    expect(picker.release('a', 9, 9)).toBe(false);
  });
});

describe('PiecePicker: endgame', () => {
  it('duplicates outstanding blocks once nothing is left to start, and cancels the losers', () => {
    const picker = setupPicker({ availability: '11', blocks: 2 });
    picker.addPeer('a', 'all');
    picker.addPeer('b', 'all');
    picker.addPeer('c', 'all');
    expect(picker.pick('a', 3)).toHaveLength(3);
    expect(picker.inEndgame).toBe(true);
    const fromB = blockNames(picker.pick('b', 4));
    expect(fromB).toHaveLength(4);
    expect(new Set(fromB).size).toBe(4);
    const [lastFree] = fromB.filter((name) => !blockNames(picker.requestsOf('a')).includes(name));
    expect(blockNames(picker.pick('c', 4))).toEqual([lastFree]);
    expect(picker.pick('c', 4)).toEqual([]);
    const [piece, block] = blockNames(picker.requestsOf('a'))[0].split(':').map(Number);
    expect(picker.requestersOf(piece, block)).toEqual(['a', 'b']);
    expect(picker.blockReceived('b', piece, block).cancel).toEqual(['a']);
    expect(picker.requestsOf('a')).toHaveLength(2);
    picker.checkInvariants();
  });

  it('prefers the least duplicated blocks and never asks a peer twice for one block', () => {
    const picker = setupPicker({ availability: '1', blocks: 2, options: { endgameMaxRequesters: 3 } });
    ['a', 'b', 'c'].forEach((peer) => picker.addPeer(peer, 'all'));
    picker.pick('a', 2);
    expect(blockNames(picker.pick('b', 1))).toEqual(['0:0']);
    expect(blockNames(picker.pick('c', 2))).toEqual(['0:1', '0:0']);
    expect(blockNames(picker.pick('b', 5))).toEqual(['0:1']);
    picker.checkInvariants();
  });

  it('is not endgame while untouched pieces remain, even if this peer has none of them', () => {
    const picker = setupPicker({ availability: '11', blocks: 1 });
    picker.addPeer('a', pieceSet('* '));
    picker.addPeer('b', pieceSet('* '));
    picker.pick('a', 1);
    expect(picker.inEndgame).toBe(false);
    expect(picker.pick('b', 1)).toEqual([]);
  });
});

describe('PiecePicker: refusing bad calls', () => {
  const picker = () => new PiecePicker([2, 2], { random: seededRandom(1) });

  it.each([
    ['an unknown peer', (p: PiecePicker) => p.pick('ghost', 1), 'unknown-peer'],
    ['a peer added twice', (p: PiecePicker) => { p.addPeer('x', 'none'); p.addPeer('x', 'all'); }, 'duplicate-peer'],
    ['a priority of 8', (p: PiecePicker) => p.setPriority(0, 8), 'bad-argument'],
    ['a piece out of range', (p: PiecePicker) => p.setHave(2), 'bad-argument'],
    ['verifying a queued piece', (p: PiecePicker) => p.pieceVerified(0), 'bad-state'],
    ['a negative count', (p: PiecePicker) => { p.addPeer('x', 'all'); p.pick('x', -1); }, 'bad-argument'],
  ])('refuses %s', (_, call, reason) => {
    expect(() => call(picker())).toThrow(expect.objectContaining({ name: 'PolicyError', reason }));
  });

  it.each([[[0]], [[70000]], [[1.5]]])('refuses block counts %j', (counts) => {
    expect(() => new PiecePicker(counts, { random: seededRandom(1) })).toThrow(PolicyError);
  });
});

describe('PiecePicker: whole-piece sources (web seeds)', () => {
  it('claim reserves every block of a queued piece: peers are not given it, delivery completes it', () => {
    const picker = setupPicker({ availability: '1111', blocks: 2 });
    picker.addPeer('webseed', 'none');
    picker.addPeer('peer', 'all');
    expect(picker.claim('webseed', 1)).toBe(true);
    expect(picker.claim('webseed', 1)).toBe(false);
    expect(picker.pieceState(1)).toBe('in-flight');
    expect(picker.availability(1)).toBe(2); // the source added no availability
    expect(piecesOf(picker.pick('peer', 6)).sort()).toEqual([0, 2, 3]);
    // Nothing queued is left: endgame may ask the peer for the claimed blocks too; the first to arrive wins.
    expect(picker.inEndgame).toBe(true);
    expect(picker.blockReceived('webseed', 1, 0)).toMatchObject({ outcome: 'accepted', pieceComplete: false });
    expect(picker.blockReceived('webseed', 1, 1)).toMatchObject({ outcome: 'accepted', pieceComplete: true });
    expect(picker.pieceState(1)).toBe('verifying');
    picker.checkInvariants();
  });

  it('released claims go back to the queue; claims count against maxPartialPieces', () => {
    const picker = setupPicker({ availability: '0000', blocks: 2, options: { maxPartialPieces: 2 } });
    picker.addPeer('webseed', 'none');
    expect(picker.startRoom).toBe(2);
    expect(picker.claim('webseed', 0)).toBe(true);
    expect(picker.claim('webseed', 1)).toBe(true);
    expect(picker.startRoom).toBe(0);
    expect(picker.claim('webseed', 2)).toBe(false);
    picker.release('webseed', 0, 0);
    picker.release('webseed', 0, 1);
    expect(picker.pieceState(0)).toBe('queued');
    expect(picker.startRoom).toBe(1);
    expect(picker.requestsOf('webseed')).toHaveLength(2);
    picker.checkInvariants();
  });
});

describe('PiecePicker: peers on probation (wholePieces)', () => {
  // Enough pieces that no test reaches endgame, where anyone may duplicate anything.
  const many = '1'.repeat(12);

  it('gives a peer on probation pieces of its own that nobody else joins, at most PROBATION_PIECES at a time', () => {
    const picker = setupPicker({ availability: many, blocks: 4 });
    picker.addPeer('new', 'all');
    picker.addPeer('trusted', 'all');
    const mine = picker.pick('new', 2, { wholePieces: true });
    expect(piecesOf(mine)).toHaveLength(1);
    // Asked for much more: it finishes requesting its piece and starts one more, no third.
    const more = picker.pick('new', 100, { wholePieces: true });
    const owned = new Set(piecesOf([...mine, ...more]));
    expect(owned.size).toBe(PROBATION_PIECES);
    expect(mine.length + more.length).toBe(8);
    expect(picker.pick('new', 100, { wholePieces: true })).toEqual([]);
    picker.checkInvariants();
  });

  it('reserves the rest of a piece for its owner until it gives a block up', () => {
    const picker = setupPicker({ availability: many, blocks: 4 });
    picker.addPeer('new', 'all');
    picker.addPeer('other', pieceSet('*'.repeat(12)));
    const [first] = picker.pick('new', 2, { wholePieces: true });
    // The other peer starts new pieces rather than join the owned one, which has free blocks.
    expect(piecesOf(picker.pick('other', 8))).not.toContain(first.piece);
    // A request of the owner timed out: the piece is anyone's again, and partial pieces come first.
    picker.release('new', first.piece, first.block);
    expect(picker.pick('other', 3).map((block) => block.piece)).toEqual([first.piece, first.piece, first.piece]);
    picker.checkInvariants();
  });

  it('a peer on probation that could start nothing of its own joins shared pieces rather than idle', () => {
    const picker = setupPicker({ availability: many, blocks: 4, options: { maxPartialPieces: 1 } });
    picker.addPeer('trusted', 'all');
    picker.addPeer('new', 'all');
    const [started] = picker.pick('trusted', 2);
    expect(blockNames(picker.pick('new', 10, { wholePieces: true }))).toEqual([`${started.piece}:2`, `${started.piece}:3`]);
    picker.checkInvariants();
  });

  it('a departed owner frees its pieces for others', () => {
    const picker = setupPicker({ availability: many, blocks: 4, options: { maxPartialPieces: 1 } });
    picker.addPeer('new', 'all');
    picker.addPeer('other', 'all');
    const [first] = picker.pick('new', 1, { wholePieces: true });
    picker.blockReceived('new', first.piece, first.block);
    expect(picker.pick('other', 10)).toEqual([]);
    picker.removePeer('new');
    expect(picker.pick('other', 3).map((block) => block.piece)).toEqual([first.piece, first.piece, first.piece]);
  });
});

describe('PiecePicker: setMaxPartialPieces', () => {
  it('a raised limit lets more pieces start; a lowered one stops new starts and lets started ones finish', () => {
    const picker = setupPicker({ availability: '1'.repeat(8), blocks: 2, options: { maxPartialPieces: 1 } });
    picker.addPeer('peer', 'all');
    expect(piecesOf(picker.pick('peer', 100))).toHaveLength(1);
    picker.setMaxPartialPieces(3);
    expect(piecesOf(picker.pick('peer', 100))).toHaveLength(2);
    picker.setMaxPartialPieces(1);
    expect(picker.partialCount).toBe(3);
    expect(picker.pick('peer', 100)).toEqual([]);
    expect(() => picker.setMaxPartialPieces(0)).toThrow();
    picker.checkInvariants();
  });
});
