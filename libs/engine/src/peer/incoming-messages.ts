import { type Bitfield, type BlockRef, decodeExtensionHandshake, type Message } from '@seedfleet/wire';
import { PeerViolation } from './disconnect-reason';
import type { PeerConnection } from './peer-connection';
import type { PeerHandler } from './peer-handler';
import type { PieceGeometry, ResolvedPeerOptions } from './peer-options';
import { checkIndex, type PeerPieces } from './peer-pieces';
import type { PeerState } from './peer-state';
import type { ReceivedRequests } from './received-requests';
import type { SentRequests } from './sent-requests';

/** What the receive path works on; owned by the PeerConnection. */
export interface IncomingContext {
  readonly connection: PeerConnection;
  readonly handler: PeerHandler;
  readonly state: PeerState;
  readonly sent: SentRequests;
  readonly received: ReceivedRequests;
  readonly pieces: PeerPieces;
  readonly options: ResolvedPeerOptions;
  readonly fastExtension: boolean;
  readonly extensionProtocol: boolean;
  send(message: Message): void;
}

/** Allowed-fast pieces remembered from one peer; BEP 6 suggests 10, more are ignored, not stored. */
const MAX_ALLOWED_FAST_FROM_PEER = 256;

/** Messages that may come before the peer announces its pieces without implying it has none. */
const BEFORE_ANNOUNCEMENT = new Set<Message['type']>(['keep-alive', 'extended', 'port', 'bitfield', 'have-all', 'have-none']);

/**
 * The receive path: checks each decoded message against the protocol state, updates it, and reports
 * to the handler. A violation throws PeerViolation, which the connection turns into a close.
 */
export class IncomingMessages {
  private geometry: PieceGeometry | undefined;

  constructor(private readonly context: IncomingContext) {}

  geometryKnown(geometry: PieceGeometry): void {
    this.geometry = geometry;
    this.report(this.context.pieces.setPieceCount(geometry.pieceCount));
  }

  dispatch(message: Message): void {
    const { connection, handler, state } = this.context;
    if (!this.context.pieces.announced && !BEFORE_ANNOUNCEMENT.has(message.type)) {
      this.report(this.context.pieces.announce({ kind: 'none' }));
    }
    switch (message.type) {
      case 'keep-alive':
      case 'unknown':
        return;
      case 'choke':
        state.peerChoking = true;
        return handler.onChoke?.(connection, this.context.fastExtension ? [] : this.context.sent.abandonAll());
      case 'unchoke':
        state.peerChoking = false;
        return handler.onUnchoke?.(connection);
      case 'interested':
        state.peerInterested = true;
        return handler.onInterested?.(connection);
      case 'not-interested':
        state.peerInterested = false;
        return handler.onNotInterested?.(connection);
      case 'have':
        if (this.context.pieces.have(message.index)) handler.onHave?.(connection, message.index);
        return;
      case 'bitfield':
        return this.announce({ kind: 'bitfield', bytes: message.bytes });
      case 'have-all':
      case 'have-none':
        this.requireFast(message.type);
        return this.announce({ kind: message.type === 'have-all' ? 'all' : 'none' });
      case 'request':
        return this.request(message);
      case 'piece':
        return this.piece(message.index, message.begin, message.block);
      case 'cancel':
        return this.cancel(message);
      case 'reject':
        this.requireFast('reject');
        if (this.context.sent.reject(message)) handler.onReject?.(connection, blockOf(message));
        return;
      case 'suggest':
        this.requireFast('suggest');
        this.checkPieceIndex(message.index, 'suggest');
        return handler.onSuggest?.(connection, message.index);
      case 'allowed-fast':
        return this.allowedFast(message.index);
      case 'port':
        return handler.onPort?.(connection, message.port);
      case 'extended':
        return this.extended(message.id, message.payload);
      case 'hash-request':
      case 'hashes':
      case 'hash-reject':
        return handler.onHashMessage?.(connection, message);
    }
  }

  private request(block: BlockRef): void {
    const { connection, state, received } = this.context;
    if (!this.geometry) return this.refuse(block);
    this.checkPieceIndex(block.index, 'request');
    const size = this.geometry.pieceSize(block.index);
    if (block.length === 0 || block.length > this.context.options.maxBlockLength || block.begin + block.length > size) {
      throw new PeerViolation('protocol', `request for ${block.length} bytes at ${block.begin} of piece ${block.index} (${size} bytes)`);
    }
    if (state.amChoking && !(this.context.fastExtension && state.allowedFastToPeer.has(block.index))) return this.refuse(block);
    if (received.isFull) {
      if (!this.context.fastExtension) {
        throw new PeerViolation('request-flood', `more than ${received.limit} queued requests`);
      }
      return this.refuse(block);
    }
    if (received.add(block)) this.context.handler.onRequest?.(connection, blockOf(block));
  }

  /** A request we do not queue: rejected with BEP 6, ignored without (the peer learns from our choke). */
  private refuse(block: BlockRef): void {
    if (this.context.fastExtension) this.context.send({ type: 'reject', index: block.index, begin: block.begin, length: block.length });
  }

  private piece(index: number, begin: number, data: Buffer): void {
    const match = this.context.sent.settle(index, begin, data.length);
    if (match === 'unrequested') {
      const { state, options } = this.context;
      state.unrequestedBytes += data.length;
      if (state.unrequestedBytes > options.maxUnrequestedBytes) {
        throw new PeerViolation('unrequested-data', `${state.unrequestedBytes} bytes of blocks we never requested`);
      }
      return;
    }
    this.context.handler.onPiece?.(this.context.connection, index, begin, data, match === 'requested');
  }

  private cancel(block: BlockRef): void {
    if (!this.context.received.remove(block.index, block.begin, block.length)) return;
    // BEP 6: every request is answered, by the block or a reject, so a cancelled one is rejected.
    if (this.context.fastExtension) this.context.send({ type: 'reject', index: block.index, begin: block.begin, length: block.length });
    this.context.handler.onCancel?.(this.context.connection, blockOf(block));
  }

  private allowedFast(index: number): void {
    this.requireFast('allowed-fast');
    this.checkPieceIndex(index, 'allowed-fast');
    const allowed = this.context.state.allowedFastFromPeer;
    if (allowed.has(index) || allowed.size >= MAX_ALLOWED_FAST_FROM_PEER) return;
    allowed.add(index);
    this.context.handler.onAllowedFast?.(this.context.connection, index);
  }

  private extended(id: number, payload: Buffer): void {
    if (!this.context.extensionProtocol) {
      throw new PeerViolation('protocol', 'extended message without the extension protocol bit on both sides');
    }
    if (id !== 0) return this.context.handler.onExtended?.(this.context.connection, id, payload);
    let handshake;
    try {
      handshake = decodeExtensionHandshake(payload);
    } catch (error) {
      throw new PeerViolation('protocol', `bad extension handshake: ${(error as Error).message}`);
    }
    this.context.state.extensions = handshake;
    this.context.handler.onExtensionHandshake?.(this.context.connection, handshake);
  }

  private requireFast(what: string): void {
    if (!this.context.fastExtension) throw new PeerViolation('protocol', `${what} without the fast extension bit on both sides`);
  }

  private checkPieceIndex(index: number, what: string): void {
    if (this.geometry) checkIndex(index, this.geometry.pieceCount, what);
  }

  private announce(announcement: Parameters<PeerPieces['announce']>[0]): void {
    const { pieces, handler, connection } = this.context;
    if (!pieces.announced) return this.report(pieces.announce(announcement));
    for (const index of pieces.lateAnnouncement(announcement)) handler.onHave?.(connection, index);
  }

  private report(pieces: Bitfield | undefined): void {
    if (pieces) this.context.handler.onBitfield?.(this.context.connection, pieces);
  }
}

/** A fresh BlockRef, so handlers never hold on to a decoded message object. */
function blockOf(block: BlockRef): BlockRef {
  return { index: block.index, begin: block.begin, length: block.length };
}
