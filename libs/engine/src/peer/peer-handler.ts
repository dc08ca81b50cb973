import type { Bitfield, BlockRef, ExtensionHandshake, Message } from '@seedfleet/wire';
import type { DisconnectReason } from './disconnect-reason';
import type { PeerConnection } from './peer-connection';

export type HashMessage = Extract<Message, { type: 'hash-request' | 'hashes' | 'hash-reject' }>;

/**
 * Receives a connection's events. One object per connection (or one shared by a torrent: every method
 * gets the connection), called synchronously from the socket callbacks, so no emitter or closure is made
 * per message. Every method but onClose is optional. A method may close the connection; no further
 * events follow then, except onClose itself.
 */
export interface PeerHandler {
  /**
   * What the peer has, once: from its bitfield, have-all (full) or have-none (empty), or an empty one when
   * its first message is something else. Before the piece count is known (magnet links) this waits for
   * `setGeometry`. The bitfield stays the connection's (`peer.pieces`), updated by later haves.
   */
  onBitfield?(peer: PeerConnection, pieces: Bitfield): void;
  /** A have for a piece the peer did not have yet (repeated haves are not reported). */
  onHave?(peer: PeerConnection, index: number): void;
  /**
   * The peer choked us. Without the fast extension it also dropped every request we had sent (BEP 3):
   * they are listed so the requester can give them back to the picker. With it, they stay until rejected.
   */
  onChoke?(peer: PeerConnection, droppedRequests: readonly BlockRef[]): void;
  onUnchoke?(peer: PeerConnection): void;
  onInterested?(peer: PeerConnection): void;
  onNotInterested?(peer: PeerConnection): void;
  /**
   * A valid request we accepted into the peer's queue; answer it with `sendPiece` or `reject`. Requests
   * out of range, over the queue limit or while we choke the peer never get here.
   */
  onRequest?(peer: PeerConnection, block: BlockRef): void;
  /** The peer cancelled a queued request; `sendPiece` for it would now be refused. */
  onCancel?(peer: PeerConnection, block: BlockRef): void;
  /**
   * A block. `requested` is false for a late block, one we cancelled or that a choke dropped. `data` is a
   * view of the socket's chunk: copy it before the callback returns if it must outlive it.
   */
  onPiece?(peer: PeerConnection, index: number, begin: number, data: Buffer, requested: boolean): void;
  /** The peer rejected one of our outstanding requests (BEP 6). */
  onReject?(peer: PeerConnection, block: BlockRef): void;
  onSuggest?(peer: PeerConnection, index: number): void;
  /** The peer lets us request this piece while it chokes us (BEP 6). */
  onAllowedFast?(peer: PeerConnection, index: number): void;
  /** BEP 10 handshake; also kept as `peer.extensions`. */
  onExtensionHandshake?(peer: PeerConnection, handshake: ExtensionHandshake): void;
  /** An extension message under the id we assigned in our handshake's `m` (`payload` is a view, as for onPiece). */
  onExtended?(peer: PeerConnection, id: number, payload: Buffer): void;
  /** BEP 52 hash request, hashes or hash reject. */
  onHashMessage?(peer: PeerConnection, message: HashMessage): void;
  /** BEP 5: the peer's DHT port. */
  onPort?(peer: PeerConnection, port: number): void;
  /** The send buffer went below its limit again after `canSendMore` was false. */
  onDrain?(peer: PeerConnection): void;
  /** Called once, when the connection closes for any reason. */
  onClose(peer: PeerConnection, reason: DisconnectReason): void;
}
