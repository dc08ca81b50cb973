import type { ChokeDecision, ChokePeer, ChokeSnapshot } from './choke-snapshot';
import { decideChokes } from './choker';
import { PolicyError } from './errors';
import { seededRandom } from './random';

const LONG_AGO = -1_000_000;

function peer(id: string, fields: Partial<ChokePeer> = {}): ChokePeer {
  return {
    id, interested: true, amChoking: true, downloadRate: 0, uploadRate: 0, isSeed: false, snubbed: false,
    connectedAt: LONG_AGO, ...fields,
  };
}

function decide(peers: ChokePeer[], fields: Partial<ChokeSnapshot> = {}): ChokeDecision {
  return decideChokes({ peers, mode: 'tit-for-tat', slots: 3, now: 0, random: seededRandom(7), ...fields });
}

/** Runs the choker every 10 s, feeding its decisions back the way the engine would. */
function simulate(initial: ChokePeer[], base: Partial<ChokeSnapshot>, seconds: number): Array<{ now: number } & ChokeDecision> {
  let peers = initial;
  let currentOptimistic: string | undefined;
  const history: Array<{ now: number } & ChokeDecision> = [];
  for (let now = 0; now <= seconds * 1000; now += 10_000) {
    const decision = decide(peers, { ...base, now, currentOptimistic, random: seededRandom(now + 1) });
    history.push({ now, ...decision });
    const newOptimistic = decision.optimistic !== currentOptimistic ? decision.optimistic : undefined;
    currentOptimistic = decision.optimistic;
    peers = peers.map((p) => {
      const unchoked = decision.unchoke.has(p.id);
      return {
        ...p,
        amChoking: !unchoked,
        lastUnchokedAt: unchoked && p.amChoking ? now : p.lastUnchokedAt,
        lastOptimisticAt: p.id === newOptimistic ? now : p.lastOptimisticAt,
      };
    });
  }
  return history;
}

describe('decideChokes: tit-for-tat', () => {
  it.each([
    { rates: [100, 500, 300, 0, 200, 50], slots: 3, regular: ['b', 'c', 'e'] },
    { rates: [100, 500, 300, 0, 200, 50], slots: 1, regular: ['b'] },
    { rates: [0, 0, 0, 0, 0, 0], slots: 2, regular: ['a', 'b'] },
  ])('rates $rates with $slots slots unchoke $regular plus one optimistic', ({ rates, slots, regular }) => {
    const peers = rates.map((downloadRate, at) => peer('abcdef'[at], { downloadRate }));
    const { unchoke, optimistic } = decide(peers, { slots });
    expect(optimistic).toBeDefined();
    expect(regular).not.toContain(optimistic);
    expect([...unchoke].sort()).toEqual([...regular, optimistic].sort());
  });

  it('never unchokes uninterested peers, and chokes snubbed ones outside the optimistic slot', () => {
    const peers = [
      peer('fast-but-uninterested', { downloadRate: 1e6, interested: false }),
      peer('snubbed', { downloadRate: 1e5, snubbed: true }),
      peer('steady', { downloadRate: 10 }),
    ];
    const { unchoke, optimistic } = decide(peers, { slots: 1 });
    expect(optimistic).toBe('snubbed');
    expect([...unchoke].sort()).toEqual(['snubbed', 'steady']);
  });

  it('keeps currently unchoked peers on a tie, to avoid churn', () => {
    const peers = [peer('a'), peer('b', { amChoking: false }), peer('c')];
    expect(decide(peers, { slots: 1, currentOptimistic: undefined }).unchoke.has('b')).toBe(true);
  });

  it('rotates the optimistic unchoke every 30 s, never to the same peer twice in a row, reaching everyone', () => {
    const peers = [peer('top', { downloadRate: 1000 }), ...['w', 'x', 'y', 'z'].map((id) => peer(id))];
    const history = simulate(peers, { slots: 1 }, 600);
    const optimistic = history.map((round) => round.optimistic);
    history.forEach(({ now }, round) => {
      if (round === 0) return;
      if (now % 30_000 === 0) expect(optimistic[round]).not.toBe(optimistic[round - 1]);
      else expect(optimistic[round]).toBe(optimistic[round - 1]);
    });
    expect(new Set(optimistic)).toEqual(new Set(['w', 'x', 'y', 'z']));
    expect(history.every((round) => round.unchoke.has('top') && round.unchoke.size === 2)).toBe(true);
  });

  it('gives newly connected peers three times the chance of the optimistic unchoke', () => {
    const random = seededRandom(99);
    const peers = [peer('new', { connectedAt: -10_000 }), peer('old1'), peer('old2'), peer('old3')];
    let newWins = 0;
    for (let draw = 0; draw < 6000; draw++) {
      if (decide(peers, { slots: 0, random }).optimistic === 'new') newWins++;
    }
    expect(newWins / 6000).toBeGreaterThan(0.45);
    expect(newWins / 6000).toBeLessThan(0.55);
  });

  it('gives a snubbed newcomer no head start', () => {
    const random = seededRandom(5);
    const peers = [peer('new', { connectedAt: -10_000, snubbed: true }), peer('old1'), peer('old2'), peer('old3')];
    let newWins = 0;
    for (let draw = 0; draw < 4000; draw++) if (decide(peers, { slots: 0, random }).optimistic === 'new') newWins++;
    expect(newWins / 4000).toBeLessThan(0.3);
  });
});

describe('decideChokes: seeding', () => {
  it('fastest-upload unchokes whom we upload to fastest; a choked peer\'s old rate does not count', () => {
    const peers = [
      peer('slow', { amChoking: false, uploadRate: 10 }),
      peer('fast', { amChoking: false, uploadRate: 1000 }),
      peer('was-fast', { amChoking: true, uploadRate: 5000, lastUnchokedAt: -50_000 }),
      peer('waiting', { lastUnchokedAt: -90_000 }),
    ];
    const { unchoke, optimistic } = decide(peers, { mode: 'seeding', seedChoking: 'fastest-upload', slots: 3 });
    expect([...unchoke].filter((id) => id !== optimistic).sort()).toEqual(['fast', 'slow', 'waiting']);
    expect(optimistic).toBe('was-fast');
  });

  it('round-robin serves every leecher in turn', () => {
    const leechers = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => peer(id, { connectedAt: -1000 }));
    const history = simulate(leechers, { mode: 'seeding', slots: 2 }, 600);
    expect(history.every((round) => round.unchoke.size === 3)).toBe(true);
    const everServed = new Set(history.flatMap((round) => [...round.unchoke]));
    expect(everServed).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g']));
  });
});

describe('decideChokes: cooperative (fleet)', () => {
  it('unchokes every interested peer when they fit, with no optimistic slot', () => {
    const peers = [peer('a'), peer('b', { interested: false }), peer('c', { snubbed: true })];
    expect(decide(peers, { mode: 'cooperative', slots: 4 })).toEqual({ unchoke: new Set(['a', 'c']), optimistic: undefined });
  });

  it('starts with the peers that have the fewest pieces', () => {
    const peers = [peer('ten', { pieces: 10 }), peer('none', { pieces: 0 }), peer('five', { pieces: 5 })];
    expect([...decide(peers, { mode: 'cooperative', slots: 2 }).unchoke].sort()).toEqual(['five', 'none']);
  });

  it('rotates so no peer waits more than ceil(peers / slots) turns', () => {
    const peers = Array.from({ length: 7 }, (_, at) => peer(`p${at}`, { pieces: at === 6 ? 1000 : at }));
    const history = simulate(peers, { mode: 'cooperative', slots: 2, rotationMs: 60_000 }, 1200);
    expect(history.every((round) => round.unchoke.size === 2 && round.optimistic === undefined)).toBe(true);
    for (const { id } of peers) {
      const servedAt = history.filter((round) => round.unchoke.has(id)).map((round) => round.now);
      expect(servedAt.length).toBeGreaterThan(0);
      const gaps = [servedAt[0], ...servedAt.slice(1).map((at, i) => at - servedAt[i])];
      expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.ceil(7 / 2) * 70_000);
    }
  });
});

describe('decideChokes: bad input', () => {
  it.each([{ slots: -1 }, { slots: 1.5 }, { now: NaN }])('refuses %j', (fields) => {
    expect(() => decide([peer('a')], fields)).toThrow(PolicyError);
  });
});
