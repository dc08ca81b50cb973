import { Bitfield, decodeMetadataMessage, encodeMetadataMessage, type ExtensionHandshake } from '@seedfleet/wire';
import { type DisconnectReason, disconnectReason } from '../peer/disconnect-reason';
import { LOCAL_EXTENSION_IDS, localExtensionHandshake, remoteExtensionId } from '../peer/extensions';
import type { PeerConnection } from '../peer/peer-connection';
import type { PeerHandler } from '../peer/peer-handler';
import type { MetadataFetcher, MetadataSource } from './metadata-fetcher';

/**
 * The PeerHandler of connections made while a magnet's dict is fetched: offers ut_metadata without a
 * size (we have nothing to serve, so requests are rejected), feeds the peers' answers to the fetcher and
 * tells it when peers leave. Everything else the peers say is ignored until the torrent proper starts.
 */
export class MetadataPeers implements PeerHandler {
  private readonly sources = new Map<PeerConnection, MetadataSource>();

  constructor(
    private readonly fetcher: MetadataFetcher,
    private readonly hooks: { readonly port: () => number; readonly onClosed: (connection: PeerConnection, reason: DisconnectReason) => void },
  ) {}

  get connections(): PeerConnection[] {
    return [...this.sources.keys()];
  }

  /** Greets a fresh connection: no pieces, our extension handshake, then starts it. */
  greet(connection: PeerConnection): void {
    this.sources.set(connection, {
      key: `${connection.remoteAddress}:${connection.remotePort}`,
      request: (piece) => this.send(connection, piece),
      drop: (why) => connection.close(disconnectReason('protocol', why)),
    });
    // have-none (BEP 6), as libtorrent sends without metadata. A one-piece empty bitfield says it: a
    // zero-piece one counts as full and would read as have-all.
    if (connection.fastExtension) connection.announcePieces(new Bitfield(1));
    if (connection.extensionProtocol) {
      connection.sendExtensionHandshake(localExtensionHandshake({ extensions: ['ut_metadata'], reqq: 16, port: this.hooks.port() }));
      connection.start();
    } else {
      // BEP 9 rides on BEP 10: a peer without it cannot help a magnet.
      connection.close(disconnectReason('not-useful', 'the peer does not speak the extension protocol; a magnet needs ut_metadata'));
    }
  }

  onExtensionHandshake(connection: PeerConnection, handshake: ExtensionHandshake): void {
    const source = this.sources.get(connection);
    if (!source) return;
    if (remoteExtensionId(connection, 'ut_metadata') === undefined) {
      return connection.close(disconnectReason('not-useful', 'the peer does not offer ut_metadata'));
    }
    // Another magnet still fetching: useless now; the swarm retries it a minute later.
    if (!handshake.metadataSize) return connection.close(disconnectReason('not-useful', 'the peer does not have the metadata either'));
    this.fetcher.addSource(source, handshake.metadataSize);
  }

  onExtended(connection: PeerConnection, id: number, payload: Buffer): void {
    const source = this.sources.get(connection);
    if (!source || id !== LOCAL_EXTENSION_IDS.ut_metadata) return;
    let message;
    try {
      message = decodeMetadataMessage(payload);
    } catch (error) {
      return connection.close(disconnectReason('protocol', `bad ut_metadata message: ${(error as Error).message}`));
    }
    if (message.type === 'request') {
      const remoteId = remoteExtensionId(connection, 'ut_metadata');
      if (remoteId !== undefined) connection.extended(remoteId, encodeMetadataMessage({ type: 'reject', piece: message.piece }));
      return;
    }
    this.fetcher.onMessage(source, message);
  }

  onClose(connection: PeerConnection, reason: DisconnectReason): void {
    const source = this.sources.get(connection);
    if (!source) return;
    this.sources.delete(connection);
    this.fetcher.removeSource(source);
    this.hooks.onClosed(connection, reason);
  }

  closeAll(reason: DisconnectReason): void {
    for (const connection of [...this.sources.keys()]) connection.close(reason);
  }

  private send(connection: PeerConnection, piece: number): void {
    const id = remoteExtensionId(connection, 'ut_metadata');
    if (id !== undefined) connection.extended(id, encodeMetadataMessage({ type: 'request', piece }));
  }
}
