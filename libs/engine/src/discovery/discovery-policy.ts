import type { DiscoverySource } from './types';

export interface DiscoveryPolicyConfig {
  /** Fleet setting: LSD for private torrents too (peers on the same LAN are trusted). Default false. */
  readonly lsdForPrivateTorrents?: boolean;
}

/**
 * Whether a torrent may use a discovery source. BEP 27: a private torrent gets peers from its trackers
 * only, so never from the DHT; LSD stays on the LAN and is allowed for private torrents only when the fleet
 * config says so.
 */
export function discoveryAllowed(source: DiscoverySource, torrent: { readonly private: boolean }, config: DiscoveryPolicyConfig = {}): boolean {
  if (!torrent.private) return true;
  return source === 'lsd' && config.lsdForPrivateTorrents === true;
}
