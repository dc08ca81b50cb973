import type { Bitfield, BlockRef, ExtensionHandshake } from '@seedfleet/wire';
import type { DisconnectReason } from '../peer/disconnect-reason';
import type { PeerConnection } from '../peer/peer-connection';
import type { TorrentExtensions } from '../peer/torrent-extensions';
import type { HashMessage, PeerHandler } from '../peer/peer-handler';
import type { ChokeLoop } from './choke-loop';
import type { Requester } from './requester';
import type { TorrentPeer } from './torrent-peer';
import type { Uploader } from './uploader';

export interface PeerEventRoutes {
  readonly peerOf: (connection: PeerConnection) => TorrentPeer | undefined;
  readonly requester: Requester;
  readonly uploader: Uploader;
  readonly chokeLoop: ChokeLoop;
  /** The peer announced its pieces (after the requester saw them). */
  readonly onAnnounced: (peer: TorrentPeer) => void;
  /** A HAVE from the peer, after the requester saw it. */
  readonly onHave?: (peer: TorrentPeer, index: number) => void;
  readonly onClosed: (peer: TorrentPeer, reason: DisconnectReason) => void;
  /** BEP 10 extensions: ut_metadata served, ut_pex exchanged. */
  readonly extensions: TorrentExtensions;
  /** BEP 52 hash request, hashes and hash reject (ignored when the torrent has no v2 info dict). */
  readonly onHashMessage?: (peer: TorrentPeer, message: HashMessage) => void;
}

/**
 * The one PeerHandler of a torrent: routes each connection's events to the collaborator that owns them,
 * so the torrent object itself holds no protocol logic. Events of a connection the torrent already
 * forgot are dropped.
 */
export class PeerEvents implements PeerHandler {
  constructor(private readonly routes: PeerEventRoutes) {}

  onBitfield(connection: PeerConnection, _pieces: Bitfield): void {
    this.with(connection, (peer) => {
      this.routes.requester.peerAnnounced(peer);
      this.routes.onAnnounced(peer);
    });
  }

  onHave(connection: PeerConnection, index: number): void {
    this.with(connection, (peer) => {
      this.routes.requester.peerHave(peer, index);
      this.routes.onHave?.(peer, index);
      this.routes.onAnnounced(peer);
    });
  }

  onChoke(connection: PeerConnection, dropped: readonly BlockRef[]): void {
    this.with(connection, (peer) => this.routes.requester.onChoke(peer, dropped));
  }

  onUnchoke(connection: PeerConnection): void {
    this.with(connection, (peer) => this.routes.requester.fill(peer));
  }

  onInterested(connection: PeerConnection): void {
    this.with(connection, (peer) => this.routes.chokeLoop.peerInterested(peer));
  }

  onNotInterested(connection: PeerConnection): void {
    this.with(connection, (peer) => this.routes.chokeLoop.peerNotInterested(peer));
  }

  onRequest(connection: PeerConnection, block: BlockRef): void {
    this.with(connection, (peer) => this.routes.uploader.onRequest(peer, block));
  }

  onCancel(connection: PeerConnection, block: BlockRef): void {
    this.with(connection, (peer) => this.routes.uploader.onCancel(peer, block));
  }

  onPiece(connection: PeerConnection, index: number, begin: number, data: Buffer): void {
    this.with(connection, (peer) => this.routes.requester.onPiece(peer, index, begin, data));
  }

  onReject(connection: PeerConnection, block: BlockRef): void {
    this.with(connection, (peer) => this.routes.requester.onReject(peer, block));
  }

  onSuggest(connection: PeerConnection, index: number): void {
    this.with(connection, (peer) => this.routes.requester.suggest(peer, index));
  }

  onAllowedFast(connection: PeerConnection): void {
    this.with(connection, (peer) => this.routes.requester.fill(peer));
  }

  onDrain(connection: PeerConnection): void {
    this.with(connection, (peer) => this.routes.uploader.pump(peer));
  }

  onHashMessage(connection: PeerConnection, message: HashMessage): void {
    this.with(connection, (peer) => this.routes.onHashMessage?.(peer, message));
  }

  onExtensionHandshake(connection: PeerConnection, handshake: ExtensionHandshake): void {
    this.with(connection, () => this.routes.extensions.onExtensionHandshake(connection, handshake));
  }

  onExtended(connection: PeerConnection, id: number, payload: Buffer): void {
    this.with(connection, () => this.routes.extensions.onExtended(connection, id, payload));
  }

  onClose(connection: PeerConnection, reason: DisconnectReason): void {
    this.with(connection, (peer) => {
      this.routes.extensions.onClose(connection);
      this.routes.onClosed(peer, reason);
    });
  }

  private with(connection: PeerConnection, body: (peer: TorrentPeer) => void): void {
    const peer = this.routes.peerOf(connection);
    if (peer) body(peer);
  }
}
