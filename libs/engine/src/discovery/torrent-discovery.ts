import type { DiscoveryMembership, DiscoverySource, DiscoveryTarget, PeerDiscovery } from './types';

/**
 * A torrent's side of DHT/LSD, shaped like the tracker Announcer: `start()` when the torrent becomes active,
 * `announceNow()` when it wants peers soon, `stop()` when it pauses or stops. The services decide per torrent
 * whether they may be used (discoveryAllowed), so a private torrent started here never reaches the DHT.
 */
export class TorrentDiscovery {
  private memberships: { source: DiscoverySource; membership: DiscoveryMembership }[] = [];

  constructor(
    private readonly services: readonly PeerDiscovery[],
    private readonly target: DiscoveryTarget,
  ) {}

  /** Sources in use since start(). */
  get sources(): DiscoverySource[] {
    return this.memberships.map(({ source }) => source);
  }

  /** Idempotent while started. */
  start(): void {
    if (this.memberships.length > 0) return;
    for (const service of this.services) {
      const membership = service.add(this.target);
      if (membership !== undefined) this.memberships.push({ source: service.source, membership });
    }
  }

  announceNow(): void {
    for (const { membership } of this.memberships) membership.announceNow();
  }

  stop(): void {
    for (const { membership } of this.memberships.splice(0)) membership.remove();
  }
}
