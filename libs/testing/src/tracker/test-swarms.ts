export interface TestTrackerPeer {
  readonly host: string;
  readonly port: number;
  readonly peerId: Buffer;
  readonly left: number;
}

/** Peers by info hash and peer id; a peer re-announcing replaces its old entry, `stopped` removes it. */
export class TestSwarms {
  private readonly swarms = new Map<string, Map<string, TestTrackerPeer>>();

  update(infoHash: string, peer: TestTrackerPeer, event: string | undefined): void {
    const swarm = this.swarms.get(infoHash) ?? new Map<string, TestTrackerPeer>();
    this.swarms.set(infoHash, swarm);
    if (event === 'stopped') swarm.delete(peer.peerId.toString('hex'));
    else swarm.set(peer.peerId.toString('hex'), peer);
  }

  peers(infoHash: string): TestTrackerPeer[] {
    return [...(this.swarms.get(infoHash)?.values() ?? [])];
  }

  /** Everyone else in the swarm, at most `limit`: a tracker never hands a peer itself. */
  others(infoHash: string, peerId: Buffer, limit: number): TestTrackerPeer[] {
    return this.peers(infoHash)
      .filter((peer) => !peer.peerId.equals(peerId))
      .slice(0, limit);
  }

  counts(infoHash: string): { complete: number; incomplete: number } {
    const peers = this.peers(infoHash);
    const complete = peers.filter((peer) => peer.left === 0).length;
    return { complete, incomplete: peers.length - complete };
  }
}
