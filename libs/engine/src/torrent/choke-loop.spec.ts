import { ChokeLoop } from './choke-loop';
import type { TorrentCore } from './torrent-core';
import type { TorrentPeer } from './torrent-peer';

/** The parts of a peer the choke loop reads and moves. */
function fakePeer(id: string, connectedAt: number): TorrentPeer {
  const connection = {
    peerInterested: true,
    amChoking: true,
    pieces: undefined,
    downloadRate: () => 0,
    uploadRate: () => 0,
    choke() {
      connection.amChoking = true;
    },
    unchoke() {
      connection.amChoking = false;
    },
  };
  return { id, connection, isSeed: false, isSnubbed: () => false, connectedAt, lastOptimisticAt: undefined, lastUnchokedAt: undefined } as unknown as TorrentPeer;
}

function loop(peers: TorrentPeer[], mode: 'cooperative' | 'tit-for-tat', slots: number): ChokeLoop {
  const core = { peers: new Map(peers.map((peer) => [peer.id, peer])), clock: () => 1000, random: () => 0.5 } as unknown as TorrentCore;
  const chokeLoop = new ChokeLoop(core, { mode: () => mode, slots, intervalMs: 3_600_000, onChoked: () => undefined });
  chokeLoop.start();
  return chokeLoop;
}

const unchoked = (peers: readonly TorrentPeer[]): string[] => peers.filter((peer) => !peer.connection.amChoking).map((peer) => peer.id);

describe('ChokeLoop: a slot that falls free between rounds goes to the next peer at once', () => {
  it.each(['cooperative', 'tit-for-tat'] as const)('%s: a peer losing interest hands its slot on, choking nobody', (mode) => {
    const peers = ['a', 'b', 'c', 'd'].map((id, index) => fakePeer(id, index));
    const chokeLoop = loop(peers, mode, mode === 'cooperative' ? 2 : 1);
    chokeLoop.run();
    const before = unchoked(peers);
    expect(before).toHaveLength(2);
    const [leaving] = peers.filter((peer) => before.includes(peer.id));
    (leaving.connection as { peerInterested: boolean }).peerInterested = false;
    chokeLoop.peerNotInterested(leaving);
    const after = unchoked(peers);
    expect(after).toHaveLength(2);
    expect(after).not.toContain(leaving.id);
    // The other unchoked peer kept its slot.
    for (const id of before.filter((id) => id !== leaving.id)) expect(after).toContain(id);
    chokeLoop.stop();
  });

  it('a departed peer’s slot is filled too', () => {
    const peers = ['a', 'b', 'c'].map((id, index) => fakePeer(id, index));
    const chokeLoop = loop(peers, 'cooperative', 1);
    chokeLoop.run();
    const [gone] = peers.filter((peer) => !peer.connection.amChoking);
    const rest = peers.filter((peer) => peer !== gone);
    const core = (chokeLoop as unknown as { core: TorrentCore }).core;
    core.peers.delete(gone.id);
    chokeLoop.peerLeft();
    expect(unchoked(rest)).toHaveLength(1);
    chokeLoop.stop();
  });
});
