import { SuperSeed, type SuperSeedView } from './super-seed';

const PIECE = 100;

/** A swarm the seed sees: each peer's pieces as a string, '1' = has ("0110"). */
function viewFor(swarm: Record<string, string>, peer: string): SuperSeedView {
  const has = (id: string, index: number): boolean => swarm[id][index] === '1';
  const ids = Object.keys(swarm);
  return {
    pieceCount: swarm[peer].length,
    peerHas: (index) => has(peer, index),
    availability: (index) => ids.filter((id) => has(id, index)).length,
    othersLacking: (index) => ids.filter((id) => id !== peer && !has(id, index)).length,
  };
}

function joined(ids: readonly string[], timeoutMs = 30_000): SuperSeed {
  const seed = new SuperSeed(4, timeoutMs);
  for (const id of ids) seed.join(id, 0);
  return seed;
}

describe('SuperSeed', () => {
  it('offers each peer one piece, least offered first, and serves only offered pieces', () => {
    const swarm = { a: '0000', b: '0000', c: '0000' };
    const seed = joined(['a', 'b', 'c']);
    expect(seed.offersFor('a', viewFor(swarm, 'a'), 0)).toEqual([0]);
    expect(seed.offersFor('b', viewFor(swarm, 'b'), 0)).toEqual([1]);
    expect(seed.offersFor('c', viewFor(swarm, 'c'), 0)).toEqual([2]);
    // Nothing new until the offer moved.
    expect(seed.offersFor('a', viewFor(swarm, 'a'), 1000)).toEqual([]);
    expect(seed.mayServe('a', 0)).toBe(true);
    expect(seed.mayServe('a', 1)).toBe(false);
    expect(seed.mayServe('stranger', 1)).toBe(true);
  });

  it('prefers the rarest piece among those offered least', () => {
    const seed = joined(['a']);
    expect(seed.offersFor('a', viewFor({ a: '0000', b: '1101', c: '1001' }, 'a'), 0)).toEqual([2]);
  });

  it('a downloaded offer allows a second one; the next comes when another peer announces the first', () => {
    const seed = joined(['a', 'b']);
    expect(seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 0)).toEqual([0]);
    for (let begin = 0; begin < PIECE; begin += 50) seed.blockSent('a', 0, begin, 50, PIECE, 0);
    // All of piece 0 went out and b still lacks it: a may take one more while it passes 0 on.
    expect(seed.offersFor('a', viewFor({ a: '1000', b: '0000' }, 'a'), 10)).toEqual([1]);
    expect(seed.offersFor('a', viewFor({ a: '1000', b: '0000' }, 'a'), 20)).toEqual([]);
    seed.peerHas('b', 0, 30);
    // 0 moved on; 1 is still on its way to a: one offer at a time until it has it.
    expect(seed.offersFor('a', viewFor({ a: '1000', b: '1000' }, 'a'), 30)).toEqual([]);
    seed.blockSent('a', 1, 0, PIECE, PIECE, 0);
    expect(seed.offersFor('a', viewFor({ a: '1000', b: '1000' }, 'a'), 40)).toEqual([2]);
  });

  it('the same block sent twice counts once', () => {
    const seed = joined(['a', 'b']);
    seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 0);
    seed.blockSent('a', 0, 0, 50, PIECE, 0);
    seed.blockSent('a', 0, 0, 50, PIECE, 0);
    expect(seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 1)).toEqual([]);
  });

  it('a lone peer gets the next piece as soon as it has the last: nobody else could take it', () => {
    const seed = joined(['a']);
    expect(seed.offersFor('a', viewFor({ a: '0000' }, 'a'), 0)).toEqual([0]);
    seed.peerHas('a', 0, 5);
    expect(seed.offersFor('a', viewFor({ a: '1000' }, 'a'), 5)).toEqual([1]);
  });

  it('an offer not passed on in time is settled', () => {
    const seed = joined(['a', 'b'], 1000);
    seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 0);
    expect(seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 999)).toEqual([]);
    expect(seed.offersFor('a', viewFor({ a: '0000', b: '0000' }, 'a'), 1000)).toEqual([1]);
  });

  it('leaves pieces other peers hold to them, unless the peer starves', () => {
    const seed = joined(['a', 'b'], 1000);
    expect(seed.offersFor('b', viewFor({ a: '0000', b: '0000' }, 'b'), 0)).toEqual([0]);
    seed.peerHas('b', 0, 0);
    const swarm = { a: '0111', b: '1000' };
    seed.peerHas('a', 1, 0);
    // a lacks only piece 0, which b holds (offered once): b is the one to pass it on.
    expect(seed.offersFor('a', viewFor(swarm, 'a'), 10)).toEqual([]);
    expect(seed.offersFor('a', viewFor(swarm, 'a'), 1000)).toEqual([0]);
    expect(seed.offerCount(0)).toBe(2);
  });

  it('forgets a peer that left', () => {
    const seed = joined(['a']);
    seed.leave('a');
    expect(seed.isSuperSeeded('a')).toBe(false);
    expect(seed.offersFor('a', viewFor({ a: '0000' }, 'a'), 0)).toEqual([]);
  });
});
