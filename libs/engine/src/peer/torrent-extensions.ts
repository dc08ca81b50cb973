import type { ExtensionHandshake, PeerAddress } from '@seedfleet/wire';
import { canonicalIp } from '../ban/canonical-ip';
import { MetadataServer } from '../metadata/metadata-server';
import { OwnAddress } from '../pex/own-address';
import { PexExchange, type PexSubject } from '../pex/pex-exchange';
import { type ExtensionModule, ExtensionRouter, localExtensionHandshake } from './extensions';
import type { PeerConnection } from './peer-connection';

export interface TorrentExtensionsOptions {
  /** The info dict's bytes, served over ut_metadata (BEP 9). */
  readonly infoRaw: Buffer;
  /** Peer exchange (BEP 11): false for private torrents (BEP 27) and when turned off; not offered then. */
  readonly pex: boolean;
  readonly clock: () => number;
  /** Our listen port (0 before listen). */
  readonly port: () => number;
  /** The torrent's connected peers, for PEX. */
  readonly subjects: () => Iterable<PexSubject>;
  /** Addresses PEX learned (filtered): to the swarm. */
  readonly onPeers: (peers: PeerAddress[]) => void;
  readonly isBanned?: (host: string) => boolean;
  /** Requests from a peer we queue (our handshake's reqq). */
  readonly reqq?: number;
}

/**
 * A torrent's BEP 10 extensions: builds our handshake (ut_metadata with metadata_size, ut_pex unless
 * private, yourip), routes the peers' extended messages to the MetadataServer and the PexExchange, and
 * sends PEX on the torrent's tick.
 */
export class TorrentExtensions {
  private readonly router: ExtensionRouter;
  private readonly pex: PexExchange | undefined;
  private readonly own: OwnAddress;
  private readonly metadataSize: number;

  constructor(private readonly options: TorrentExtensionsOptions) {
    this.own = new OwnAddress(options.port);
    const server = new MetadataServer(options.infoRaw, { clock: options.clock });
    this.metadataSize = server.metadataSize;
    this.pex = !options.pex
      ? undefined
      : new PexExchange({
          clock: options.clock,
          subjects: options.subjects,
          onPeers: options.onPeers,
          isBanned: options.isBanned,
          isOwnAddress: (host, port) => this.own.matches(host, port),
        });
    const modules: ExtensionModule[] = this.pex ? [server, this.pex] : [server];
    this.router = new ExtensionRouter(modules);
  }

  /** Our BEP 10 handshake for this connection. */
  handshake(connection: PeerConnection, uploadOnly = false): ExtensionHandshake {
    return localExtensionHandshake({
      extensions: this.router.names,
      reqq: this.options.reqq ?? 500,
      port: this.options.port(),
      metadataSize: this.metadataSize,
      yourIp: canonicalIp(connection.remoteAddress),
      uploadOnly,
    });
  }

  onExtensionHandshake(connection: PeerConnection, handshake: ExtensionHandshake): void {
    if (handshake.yourip !== undefined) this.own.learn(handshake.yourip);
    this.router.onExtensionHandshake(connection, handshake);
  }

  onExtended(connection: PeerConnection, id: number, payload: Buffer): void {
    this.router.onExtended(connection, id, payload);
  }

  onClose(connection: PeerConnection): void {
    this.router.onClose(connection);
  }

  /** The torrent's tick: due PEX messages. */
  tick(): void {
    this.pex?.tick();
  }
}
