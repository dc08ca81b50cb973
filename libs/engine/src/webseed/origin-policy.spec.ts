import { type OriginSnapshot, originScope } from './origin-policy';

const base: OriginSnapshot = { mode: 'fallback', now: 10_000, announcedPeers: 3, pendingPeers: 0, lastPeerProgressAt: 9_500, peerDownRate: 1_000_000 };

describe('originScope', () => {
  it.each<[string, Partial<OriginSnapshot>, ReturnType<typeof originScope>]>([
    ['off never fetches, even without peers', { mode: 'off', announcedPeers: 0 }, 'none'],
    ['fallback with working peers: only pieces they lack', {}, 'peerless'],
    ['fallback with working peers, others still dialed', { pendingPeers: 4 }, 'peerless'],
    ['fallback, no peer known at all: anything', { announcedPeers: 0 }, 'any'],
    ['fallback, first peers dialed or not announced yet: wait for them', { announcedPeers: 0, pendingPeers: 2 }, 'none'],
    ['fallback, first peers still pending after the stall time: anything', { announcedPeers: 0, pendingPeers: 2, lastPeerProgressAt: 0 }, 'any'],
    ['assist does not wait for pending peers', { mode: 'assist', announcedPeers: 0, pendingPeers: 2 }, 'any'],
    ['fallback, peers silent for the stall time: anything', { lastPeerProgressAt: 5_000 }, 'any'],
    ['fallback, peers silent just under the stall time', { lastPeerProgressAt: 5_001 }, 'peerless'],
    ['fallback ignores the goal', { downloadGoal: 10_000_000 }, 'peerless'],
    ['assist without a goal: anything', { mode: 'assist' }, 'any'],
    ['assist below the goal: anything', { mode: 'assist', downloadGoal: 2_000_000 }, 'any'],
    ['assist at the goal: only pieces peers lack', { mode: 'assist', downloadGoal: 1_000_000 }, 'peerless'],
    ['assist above the goal but stalled: anything', { mode: 'assist', downloadGoal: 1, lastPeerProgressAt: 0 }, 'any'],
    ['custom stall time', { lastPeerProgressAt: 9_000, stallMs: 1000 }, 'any'],
  ])('%s', (_name, change, expected) => {
    expect(originScope({ ...base, ...change })).toBe(expected);
  });
});
