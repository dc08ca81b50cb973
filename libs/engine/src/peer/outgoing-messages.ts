import { type Bitfield, type BlockRef, encodeExtensionHandshake, type ExtensionHandshake, type Message } from '@seedfleet/wire';
import { PeerError } from './peer-error';
import type { HashMessage } from './peer-handler';
import type { PeerState } from './peer-state';
import type { PeerTransport } from './peer-transport';
import type { ReceivedRequests } from './received-requests';
import type { SentRequests } from './sent-requests';

/** What the send path works on; owned by the PeerConnection. */
export interface OutgoingContext {
  readonly state: PeerState;
  readonly sent: SentRequests;
  readonly received: ReceivedRequests;
  readonly transport: PeerTransport;
  readonly fastExtension: boolean;
  readonly extensionProtocol: boolean;
  /** Once the connection closed nothing more is sent. */
  isClosed(): boolean;
}

/**
 * The send path: each message we send with the protocol state it changes (our choke and interest, the
 * requests in flight both ways, allowed-fast pieces). The counterpart of IncomingMessages; PeerConnection
 * documents the public calls.
 */
export class OutgoingMessages {
  constructor(private readonly context: OutgoingContext) {}

  send(message: Message): void {
    if (this.context.isClosed()) return;
    this.context.transport.send(message);
  }

  choke(): void {
    const { state, received, fastExtension } = this.context;
    if (state.amChoking || this.context.isClosed()) return;
    state.amChoking = true;
    this.send({ type: 'choke' });
    // BEP 3 drops every queued request on choke; BEP 6 instead rejects them, except allowed-fast ones.
    const dropped = received.removeWhere((index) => !(fastExtension && state.allowedFastToPeer.has(index)));
    if (fastExtension) for (const block of dropped) this.send({ type: 'reject', ...block });
  }

  unchoke(): void {
    if (!this.context.state.amChoking || this.context.isClosed()) return;
    this.context.state.amChoking = false;
    this.send({ type: 'unchoke' });
  }

  interested(): void {
    if (this.context.state.amInterested || this.context.isClosed()) return;
    this.context.state.amInterested = true;
    this.send({ type: 'interested' });
  }

  notInterested(): void {
    if (!this.context.state.amInterested || this.context.isClosed()) return;
    this.context.state.amInterested = false;
    this.send({ type: 'not-interested' });
  }

  announcePieces(ours: Bitfield): void {
    if (this.context.fastExtension && ours.isFull) this.send({ type: 'have-all' });
    else if (this.context.fastExtension && ours.isEmpty) this.send({ type: 'have-none' });
    else this.send({ type: 'bitfield', bytes: ours.toWire() });
  }

  request(block: BlockRef): boolean {
    if (this.context.isClosed() || !this.context.sent.add(block)) return false;
    this.send({ type: 'request', index: block.index, begin: block.begin, length: block.length });
    return true;
  }

  cancel(block: BlockRef): void {
    const { sent } = this.context;
    if (this.context.isClosed() || !sent.has(block.index, block.begin)) return;
    sent.abandon(block);
    this.send({ type: 'cancel', index: block.index, begin: block.begin, length: block.length });
  }

  reject(block: BlockRef): boolean {
    if (this.context.isClosed() || !this.context.received.remove(block.index, block.begin, block.length)) return false;
    if (this.context.fastExtension) this.send({ type: 'reject', index: block.index, begin: block.begin, length: block.length });
    return true;
  }

  sendPiece(index: number, begin: number, block: Buffer, onWritten?: () => void): boolean {
    if (this.context.isClosed() || !this.context.received.remove(index, begin, block.length)) return false;
    this.context.transport.sendPiece(index, begin, block, onWritten);
    return true;
  }

  allowFast(index: number): void {
    this.requireFast('allowed-fast');
    this.context.state.allowedFastToPeer.add(index);
    this.send({ type: 'allowed-fast', index });
  }

  suggest(index: number): void {
    this.requireFast('suggest');
    this.send({ type: 'suggest', index });
  }

  sendExtensionHandshake(handshake: ExtensionHandshake): void {
    this.extended(0, encodeExtensionHandshake(handshake));
    if (handshake.reqq !== undefined) this.context.received.limit = handshake.reqq;
  }

  extended(id: number, payload: Buffer): void {
    if (!this.context.extensionProtocol) throw new PeerError('extended message to a peer without the extension protocol bit');
    this.send({ type: 'extended', id, payload });
  }

  sendHashMessage(message: HashMessage): void {
    this.send(message);
  }

  private requireFast(what: string): void {
    if (!this.context.fastExtension) throw new PeerError(`${what} needs the fast extension on both sides`);
  }
}
