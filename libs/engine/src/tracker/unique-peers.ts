import type { PeerAddress } from '@seedfleet/wire';

/** Drops repeated addresses (one client announced under two peer ids, or a tracker listing it twice), keeping order. */
export function uniquePeers(peers: readonly PeerAddress[]): PeerAddress[] {
  const seen = new Set<string>();
  return peers.filter((peer) => {
    const key = `${peer.host}|${peer.port}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
