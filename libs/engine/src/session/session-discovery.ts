import { DhtDiscovery } from '../discovery/dht/dht-discovery';
import { loadDhtState, saveDhtState } from '../discovery/dht/dht-state';
import { PortContacts } from '../discovery/dht/port-contacts';
import { DiscoveryError, discoveryError } from '../discovery/discovery-error';
import { discoveryAllowed } from '../discovery/discovery-policy';
import { LsdDiscovery } from '../discovery/lsd/lsd-discovery';
import { TorrentDiscovery } from '../discovery/torrent-discovery';
import type { PeerDiscovery } from '../discovery/types';
import type { DhtPortExchange } from '../peer/dht-port';
import type { Torrent } from '../torrent/torrent';
import type { SessionDhtOptions, SessionLsdOptions, SessionOptions } from './session-options';

/** How often a downloading torrent without peers asks DHT and LSD again (each rate-limits per info hash). */
const WANT_PEERS_CHECK_MS = 60_000;

interface Membership {
  /** Made once the services are up: one per swarm the torrent is in (a hybrid is in two, BEP 52). */
  discoveries: TorrentDiscovery[] | undefined;
  readonly onState: () => void;
}

/**
 * The session's DHT node and LSD sockets (one each, shared by every torrent), started once the listen port
 * is known, and each torrent's TorrentDiscovery, running while the torrent accepts peers. Private torrents
 * are refused by the services themselves (discoveryAllowed). Nothing here throws at the session: failures
 * go to `onDiscoveryError`, and a source that cannot start is simply not used.
 */
export class SessionDiscovery {
  private readonly dhtOptions: SessionDhtOptions | undefined;
  private readonly lsdOptions: SessionLsdOptions | undefined;
  private readonly members = new Map<Torrent, Membership>();
  private readonly portContacts: PortContacts;
  private dht: DhtDiscovery | undefined;
  private lsd: LsdDiscovery | undefined;
  private services: PeerDiscovery[] = [];
  private wantTimer: NodeJS.Timeout | undefined;
  private started = false;
  private closed = false;

  constructor(
    private readonly options: Pick<SessionOptions, 'dht' | 'lsd' | 'onDiscoveryError'>,
    clock: () => number,
  ) {
    this.dhtOptions = options.dht === true ? {} : options.dht || undefined;
    this.lsdOptions = options.lsd === true ? {} : options.lsd || undefined;
    this.portContacts = new PortContacts({ clock });
  }

  /** The session runs a DHT node that this torrent may use: set the BEP 5 reserved bit. */
  usesDht(torrent: { readonly private: boolean }): boolean {
    return this.dhtOptions !== undefined && discoveryAllowed('dht', torrent);
  }

  /** PORT messages for a connection of this torrent, once the DHT node is up. */
  portExchange(torrent: { readonly private: boolean }): DhtPortExchange | undefined {
    const dht = this.dht;
    if (dht === undefined || !discoveryAllowed('dht', torrent)) return undefined;
    return { port: dht.port, onPort: (host, port) => this.contact(host, port) };
  }

  /** The DHT node's UDP port, 0 while it is not running. */
  get dhtPort(): number {
    return this.dht?.port ?? 0;
  }

  /** Contacts in the DHT routing table (0 without a DHT). */
  get dhtNodeCount(): number {
    return this.dht?.nodeCount ?? 0;
  }

  /** Opens the DHT and LSD sockets (those configured) announcing `peerPort`; torrents added so far join. */
  async start(peerPort: number): Promise<void> {
    if (this.started || this.closed) return;
    this.started = true;
    const [dht, lsd] = await Promise.all([this.startDht(peerPort), this.startLsd(peerPort)]);
    if (this.closed) {
      await Promise.all([dht?.close(), lsd?.close()]);
      return;
    }
    this.dht = dht;
    this.lsd = lsd;
    this.services = [dht, lsd].filter((service): service is NonNullable<typeof service> => service !== undefined);
    if (this.services.length === 0) return;
    for (const torrent of this.members.keys()) this.sync(torrent);
    this.wantTimer = setInterval(() => this.askForPeers(), WANT_PEERS_CHECK_MS).unref();
  }

  add(torrent: Torrent): void {
    if (this.closed || this.members.has(torrent)) return;
    const member: Membership = { discoveries: undefined, onState: () => this.sync(torrent) };
    this.members.set(torrent, member);
    torrent.on('state', member.onState);
    this.sync(torrent);
  }

  remove(torrent: Torrent): void {
    const member = this.members.get(torrent);
    if (member === undefined) return;
    this.members.delete(torrent);
    torrent.off('state', member.onState);
    for (const discovery of member.discoveries ?? []) discovery.stop();
  }

  /** Stops every torrent's discovery, saves the DHT state (if configured) and closes the sockets. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.wantTimer);
    for (const torrent of [...this.members.keys()]) this.remove(torrent);
    const { dht, lsd } = this;
    this.dht = undefined;
    this.lsd = undefined;
    this.services = [];
    const stateFile = this.dhtOptions?.stateFile;
    if (dht !== undefined && stateFile !== undefined) {
      await saveDhtState(stateFile, dht.state()).catch((error: unknown) => this.report(discoveryError('bad-state', `saving DHT state to ${stateFile}`, error)));
    }
    await Promise.all([dht?.close(), lsd?.close()]);
  }

  /** Discovery runs while the torrent accepts peers (downloading or seeding) and the services are up. */
  private sync(torrent: Torrent): void {
    const member = this.members.get(torrent);
    if (member === undefined || this.services.length === 0) return;
    member.discoveries ??= swarmHashes(torrent).map(
      (infoHash) =>
        new TorrentDiscovery(this.services, {
          infoHash,
          private: torrent.metainfo.private,
          onPeers: (peers) => {
            for (const peer of peers) torrent.addPeer(peer);
          },
        }),
    );
    for (const discovery of member.discoveries) {
      if (torrent.acceptsPeers) discovery.start();
      else discovery.stop();
    }
  }

  private askForPeers(): void {
    for (const [torrent, member] of this.members) {
      if (torrent.state !== 'downloading' || torrent.progress().peers > 0) continue;
      for (const discovery of member.discoveries ?? []) discovery.announceNow();
    }
  }

  private contact(host: string, port: number): void {
    if (this.dht !== undefined && this.portContacts.admit(host, port)) this.dht.addNode({ host, port });
  }

  private async startDht(peerPort: number): Promise<DhtDiscovery | undefined> {
    const options = this.dhtOptions;
    if (options === undefined) return undefined;
    const state = options.stateFile === undefined ? undefined : await loadDhtState(options.stateFile);
    const start = (port: number): Promise<DhtDiscovery> =>
      DhtDiscovery.start({
        peerPort,
        host: options.host,
        // BEP 5 convention: the DHT's UDP port is the TCP listen port, so PORT messages and NAT rules match.
        port,
        bootstrap: options.bootstrap,
        state,
        onRound: options.onRound,
        onError: (error) => this.report(error),
      });
    try {
      return await start(options.port ?? peerPort);
    } catch (error) {
      if (options.port === undefined) {
        try {
          return await start(0);
        } catch (retryError) {
          error = retryError;
        }
      }
      this.report(asDiscoveryError(error, 'starting the DHT'));
      return undefined;
    }
  }

  private async startLsd(peerPort: number): Promise<LsdDiscovery | undefined> {
    const options = this.lsdOptions;
    if (options === undefined) return undefined;
    try {
      return await LsdDiscovery.start({
        peerPort,
        groups: options.groups,
        lsdForPrivateTorrents: options.forPrivateTorrents,
        onError: (error) => this.report(error),
      });
    } catch (error) {
      this.report(asDiscoveryError(error, 'starting LSD'));
      return undefined;
    }
  }

  private report(error: DiscoveryError): void {
    if (this.closed) return;
    try {
      this.options.onDiscoveryError?.(error);
    } catch (callbackError) {
      process.emitWarning(callbackError instanceof Error ? callbackError : new Error(String(callbackError)), 'DiscoveryWarning');
    }
  }
}

function asDiscoveryError(error: unknown, context: string): DiscoveryError {
  return error instanceof DiscoveryError ? error : discoveryError('bind-failed', context, error);
}

/**
 * The info hashes a torrent's swarms go by on the DHT and LSD: its own (v1, or the truncated v2 hash of a
 * v2-only torrent) and, for a hybrid, the truncated v2 hash too, where v2-only clients look for it (BEP 52).
 */
export function swarmHashes(torrent: Pick<Torrent, 'infoHash' | 'metainfo'>): Buffer[] {
  const hashes = [torrent.infoHash];
  const v2 = torrent.metainfo.infoHashV2?.subarray(0, 20);
  if (v2 !== undefined && !v2.equals(torrent.infoHash)) hashes.push(Buffer.from(v2));
  return hashes;
}
