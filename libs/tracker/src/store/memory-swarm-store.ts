import { failure, type TrackerFailure } from '../core/failure';
import { memberBytes } from '../core/address';
import type { Locality, SwarmCounts, SwarmPeer } from '../core/types';
import { checkRegistration, type StoreAnnounce, type StoreAnnounceResult, type StoreScrape, type SwarmStore, type SwarmStoreOptions, type TrackerRegistry } from './swarm-store';

interface Swarm {
  readonly peers: Map<string, SwarmPeer & { expiresAt: number }>;
  downloaded: number;
}

/** The whole swarm in process memory: for unit tests and a single tracker without Redis. */
export class MemorySwarmStore implements SwarmStore, TrackerRegistry {
  private readonly swarms = new Map<string, Swarm>();
  private readonly infoHashes = new Set<string>();
  private readonly publicInfoHashes = new Set<string>();
  private readonly passkeys = new Map<string, Locality>();

  constructor(private readonly options: SwarmStoreOptions) {}

  async announce(request: StoreAnnounce): Promise<StoreAnnounceResult | TrackerFailure> {
    const access = this.checkAccess(request.infoHash, request.passkey, request.requireRegistered, request.publicOnly ?? false);
    if ('failure' in access) return access;
    const swarm = this.swarm(request.infoHash.toString('hex'));
    this.prune(swarm, request.now);
    const key = (request.member ?? memberBytes(request.peerId, request.address)).toString('latin1');
    const known = swarm.peers.get(key);
    if (request.event === 'stopped') {
      swarm.peers.delete(key);
    } else {
      if (request.event === 'completed' && !known?.seeder) swarm.downloaded++;
      const { peerId, address, seeder } = request;
      swarm.peers.set(key, { peerId, address, seeder, locality: access.locality, expiresAt: request.now + this.options.peerTtlMs });
    }
    return { counts: countsOf(swarm), candidates: [...swarm.peers.values()], locality: access.locality };
  }

  async scrape(request: StoreScrape): Promise<readonly (SwarmCounts | undefined)[] | TrackerFailure> {
    if (request.passkey !== undefined && !this.passkeys.has(request.passkey)) return unknownPasskey();
    return request.infoHashes.map((infoHash) => {
      const hex = infoHash.toString('hex');
      if (request.requireRegistered && !(request.publicOnly ? this.publicInfoHashes : this.infoHashes).has(hex)) return undefined;
      const swarm = this.swarms.get(hex);
      if (!swarm) return { complete: 0, incomplete: 0, downloaded: 0 };
      this.prune(swarm, request.now);
      return countsOf(swarm);
    });
  }

  async registerInfoHash(infoHash: Buffer, options: { public?: boolean } = {}): Promise<void> {
    const hex = infoHash.toString('hex');
    this.infoHashes.add(hex);
    if (options.public) this.publicInfoHashes.add(hex);
    else this.publicInfoHashes.delete(hex);
  }

  async unregisterInfoHash(infoHash: Buffer): Promise<void> {
    this.infoHashes.delete(infoHash.toString('hex'));
    this.publicInfoHashes.delete(infoHash.toString('hex'));
  }

  async registerPasskey(passkey: string, locality: Locality): Promise<void> {
    checkRegistration(passkey, locality);
    this.passkeys.set(passkey, { zone: locality.zone, region: locality.region });
  }

  async revokePasskey(passkey: string): Promise<void> {
    this.passkeys.delete(passkey);
  }

  private checkAccess(infoHash: Buffer, passkey: string | undefined, requireRegistered: boolean, publicOnly: boolean): { locality: Locality } | TrackerFailure {
    let locality: Locality = { zone: '', region: '' };
    if (passkey !== undefined) {
      const found = this.passkeys.get(passkey);
      if (!found) return unknownPasskey();
      locality = found;
    }
    if (requireRegistered && !(publicOnly ? this.publicInfoHashes : this.infoHashes).has(infoHash.toString('hex'))) return unregistered();
    return { locality };
  }

  private swarm(hex: string): Swarm {
    let swarm = this.swarms.get(hex);
    if (!swarm) this.swarms.set(hex, (swarm = { peers: new Map(), downloaded: 0 }));
    return swarm;
  }

  private prune(swarm: Swarm, now: number): void {
    for (const [key, peer] of swarm.peers) if (peer.expiresAt <= now) swarm.peers.delete(key);
  }
}

function countsOf(swarm: Swarm): SwarmCounts {
  let complete = 0;
  for (const peer of swarm.peers.values()) if (peer.seeder) complete++;
  return { complete, incomplete: swarm.peers.size - complete, downloaded: swarm.downloaded };
}

export function unknownPasskey(): TrackerFailure {
  return failure('unknown-passkey', 'unknown passkey: use the announce URL from your own torrent file');
}

export function unregistered(): TrackerFailure {
  return failure('unregistered-info-hash', 'unregistered torrent: this tracker only serves torrents its publisher knows');
}
