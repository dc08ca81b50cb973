import type { Socket } from 'node:net';
import { type Bitfield, type BlockRef, type ExtensionHandshake, Framer, type Handshake, type ReservedFlags, type StreamCipher } from '@seedfleet/wire';
import type { ChunkSource } from './chunk-source';
import type { DhtPortExchange } from './dht-port';
import { type DisconnectReason, disconnectReason, PeerViolation, reasonFromError } from './disconnect-reason';
import { PeerState } from './peer-state';
import type { HashMessage, PeerHandler } from './peer-handler';
import { IncomingMessages } from './incoming-messages';
import { Liveness } from './liveness';
import { OutgoingMessages } from './outgoing-messages';
import { checkGeometry, type PeerLimitOptions, type PeerTimingOptions, type PieceGeometry, resolvePeerOptions, type ResolvedPeerOptions } from './peer-options';
import { PeerPieces } from './peer-pieces';
import { PeerTransport } from './peer-transport';
import { ReceivedRequests } from './received-requests';
import { SentRequests } from './sent-requests';
import { Traffic } from './traffic';

export interface PeerConnectionInit extends PeerTimingOptions, PeerLimitOptions {
  /** A connected socket whose handshake is done; the connection owns it from now on. */
  readonly socket: Socket;
  /** The socket's incoming bytes (lent chunks); default: its 'data' events. */
  readonly input?: ChunkSource;
  /** The peer's handshake. */
  readonly remote: Handshake;
  /** The reserved bits we sent: a feature is on only if both sides set its bit. */
  readonly localFlags: Partial<ReservedFlags>;
  /** Bytes that arrived after the handshake, in the same chunk. */
  readonly leftover?: Buffer;
  /** Unknown until a magnet link's metadata arrives; see setGeometry. */
  readonly geometry?: PieceGeometry;
  readonly handler: PeerHandler;
  /** The session's DHT node, if any: PORT messages both ways when both sides set the DHT bit. */
  readonly dht?: DhtPortExchange;
  /** RC4 negotiated by MSE (see PeerTransport). */
  readonly cipher?: StreamCipher;
}

/**
 * One peer-wire connection after the handshake: framing, per-peer protocol state, limits, keep-alives and
 * timeouts over a PeerTransport (the socket, MSE and batching). Bytes from the peer never throw: a violation closes the
 * connection with a DisconnectReason, reported once through `handler.onClose`. STATE.md lists the states.
 */
export class PeerConnection {
  readonly remote: Handshake;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Both sides set the BEP 6 / BEP 10 bit. */
  readonly fastExtension: boolean;
  readonly extensionProtocol: boolean;
  readonly traffic: Traffic;

  private readonly transport: PeerTransport;
  private readonly handler: PeerHandler;
  private readonly dht: DhtPortExchange | undefined;
  private readonly options: ResolvedPeerOptions;
  private readonly framer: Framer;
  private readonly sent = new SentRequests();
  private readonly received: ReceivedRequests;
  private readonly peerPieces: PeerPieces;
  private readonly incoming: IncomingMessages;
  private readonly outgoing: OutgoingMessages;
  private readonly state = new PeerState();
  private geometryValue: PieceGeometry | undefined;
  private leftover: Buffer | undefined;
  private readonly liveness: Liveness;
  private timer: NodeJS.Timeout | undefined;
  private reason: DisconnectReason | undefined;

  constructor(init: PeerConnectionInit) {
    this.options = resolvePeerOptions(init);
    this.handler = init.handler;
    this.remote = init.remote;
    this.fastExtension = Boolean(init.localFlags.fastExtension && init.remote.flags.fastExtension);
    this.extensionProtocol = Boolean(init.localFlags.extensionProtocol && init.remote.flags.extensionProtocol);
    this.dht = init.localFlags.dht && init.remote.flags.dht ? init.dht : undefined;
    this.leftover = init.leftover;
    // Blocks lent: receive() hands every message on before the next chunk, and the chunk may be reused.
    this.framer = new Framer({ maxMessageLength: this.options.maxMessageLength, maxBlockLength: this.options.maxBlockLength }, { lendBlocks: true });
    this.received = new ReceivedRequests(this.options.maxQueuedRequests);
    this.peerPieces = new PeerPieces(this.options.maxHavesBeforeGeometry);
    const now = this.options.clock();
    this.traffic = new Traffic(now, this.options.rateWindowMs);
    this.liveness = new Liveness(now, this.options.keepAliveIntervalMs, this.options.idleTimeoutMs);
    this.transport = new PeerTransport(
      { socket: init.socket, input: init.input, cipher: init.cipher, sendBufferLimit: this.options.sendBufferLimit, maxSendBuffer: this.options.maxSendBuffer },
      {
        flushed: (bytes, payload) => this.guard(() => this.flushed(bytes, payload)),
        broken: (reason) => this.guard(() => this.close(reason)),
        drained: () => this.guard(() => this.canSendMore && this.handler.onDrain?.(this)),
      },
    );
    this.remoteAddress = this.transport.remoteAddress;
    this.remotePort = this.transport.remotePort;
    this.outgoing = new OutgoingMessages({
      state: this.state,
      sent: this.sent,
      received: this.received,
      transport: this.transport,
      fastExtension: this.fastExtension,
      extensionProtocol: this.extensionProtocol,
      isClosed: () => this.reason !== undefined,
    });
    this.incoming = new IncomingMessages({
      connection: this,
      handler: this.handler,
      state: this.state,
      sent: this.sent,
      received: this.received,
      pieces: this.peerPieces,
      options: this.options,
      fastExtension: this.fastExtension,
      extensionProtocol: this.extensionProtocol,
      send: (message) => this.outgoing.send(message),
    });
    if (init.geometry) this.applyGeometry(init.geometry);
  }

  /**
   * Starts reading: the leftover bytes first, then the socket. Call after queueing the first messages
   * (our bitfield, extension handshake), so they go out before any reply to the peer's.
   */
  start(): void {
    if (this.reason || this.timer) return;
    if (this.transport.destroyed) return this.close(disconnectReason('closed-by-peer', 'the connection closed before it started'));
    this.timer = setInterval(() => this.guard(() => this.checkLiveness()), this.liveness.checkIntervalMs).unref();
    if (this.dht) this.port(this.dht.port);
    const leftover = this.leftover;
    this.leftover = undefined;
    if (leftover && leftover.length > 0) this.receive(leftover);
    this.transport.startReading((chunk) => this.receive(chunk));
  }

  get geometry(): PieceGeometry | undefined {
    return this.geometryValue;
  }

  /** The piece count became known (magnet metadata): checks what the peer announced so far. */
  setGeometry(geometry: PieceGeometry): void {
    this.guard(() => this.applyGeometry(geometry));
  }

  get amChoking(): boolean {
    return this.state.amChoking;
  }

  get amInterested(): boolean {
    return this.state.amInterested;
  }

  get peerChoking(): boolean {
    return this.state.peerChoking;
  }

  get peerInterested(): boolean {
    return this.state.peerInterested;
  }

  /** The peer's BEP 10 handshake, once received. */
  get extensions(): ExtensionHandshake | undefined {
    return this.state.extensions;
  }

  /** Pieces we let the peer request while we choke it (BEP 6). */
  get allowedFastToPeer(): ReadonlySet<number> {
    return this.state.allowedFastToPeer;
  }

  /** Pieces the peer lets us request while it chokes us. */
  get allowedFastFromPeer(): ReadonlySet<number> {
    return this.state.allowedFastFromPeer;
  }

  get peerId(): Buffer {
    return this.remote.peerId;
  }

  /** The peer's pieces, once it announced them and the piece count is known. */
  get pieces(): Bitfield | undefined {
    return this.peerPieces.bitfield;
  }

  get isClosed(): boolean {
    return this.reason !== undefined;
  }

  get closeReason(): DisconnectReason | undefined {
    return this.reason;
  }

  /** Our requests the peer has not answered. */
  get requestsInFlight(): number {
    return this.sent.count;
  }

  outstandingRequests(): BlockRef[] {
    return this.sent.list();
  }

  /** The peer's requests we accepted and not yet answered. */
  get queuedRequests(): number {
    return this.received.size;
  }

  downloadRate(now = this.options.clock()): number {
    return this.traffic.downloadRateAt(now);
  }

  uploadRate(now = this.options.clock()): number {
    return this.traffic.uploadRateAt(now);
  }

  /** Outgoing bytes not yet on the wire: queued this tick plus the socket's buffer. */
  get writableLength(): number {
    return this.transport.writableLength;
  }

  /** False while the send buffer is over its limit; onDrain follows when it is below again. */
  get canSendMore(): boolean {
    return this.transport.canSendMore;
  }

  /** Chokes the peer: BEP 3 drops its queued requests, BEP 6 rejects them (except allowed-fast pieces). */
  choke(): void {
    this.outgoing.choke();
  }

  unchoke(): void {
    this.outgoing.unchoke();
  }

  interested(): void {
    this.outgoing.interested();
  }

  notInterested(): void {
    this.outgoing.notInterested();
  }

  /** Our pieces, as the first message: have-all or have-none when both sides speak BEP 6, else a bitfield. */
  announcePieces(ours: Bitfield): void {
    this.outgoing.announcePieces(ours);
  }

  have(index: number): void {
    this.outgoing.send({ type: 'have', index });
  }

  /** Returns false (and sends nothing) for a block already requested. */
  request(block: BlockRef): boolean {
    return this.outgoing.request(block);
  }

  /** We no longer want the block; if it still arrives, onPiece reports it as not requested. */
  cancel(block: BlockRef): void {
    this.outgoing.cancel(block);
  }

  /** Refuses a queued request from the peer (a reject message with BEP 6; silently without). */
  reject(block: BlockRef): boolean {
    return this.outgoing.reject(block);
  }

  /**
   * Answers a queued request with its block (header and block are written without copying the block,
   * which must not change until sent). Returns false, sending nothing, if the request is no longer
   * queued: cancelled, dropped by a choke, or never made. `onWritten` runs once the socket is done with
   * the block (written, or the connection closed), only if this returns true.
   */
  sendPiece(index: number, begin: number, block: Buffer, onWritten?: () => void): boolean {
    return this.outgoing.sendPiece(index, begin, block, onWritten);
  }

  /** Lets the peer request this piece while we choke it (BEP 6; throws PeerError without the extension). */
  allowFast(index: number): void {
    this.outgoing.allowFast(index);
  }

  /** BEP 6 suggest (throws PeerError without the extension). */
  suggest(index: number): void {
    this.outgoing.suggest(index);
  }

  /** Our BEP 10 handshake; its reqq becomes the limit of the peer's queued requests. */
  sendExtensionHandshake(handshake: ExtensionHandshake): void {
    this.outgoing.sendExtensionHandshake(handshake);
  }

  /** An extension message under the id the peer assigned in its handshake's `m`. */
  extended(id: number, payload: Buffer): void {
    this.outgoing.extended(id, payload);
  }

  sendHashMessage(message: HashMessage): void {
    this.outgoing.sendHashMessage(message);
  }

  port(port: number): void {
    this.outgoing.send({ type: 'port', port });
  }

  /** Closes the connection (idempotent); handler.onClose runs synchronously, once. */
  close(reason: DisconnectReason): void {
    if (this.reason) return;
    this.reason = reason;
    clearInterval(this.timer);
    this.transport.destroy();
    this.handler.onClose(this, reason);
  }

  private receive(chunk: Buffer): void {
    if (this.reason) return;
    const now = this.options.clock();
    this.liveness.received(now);
    let payload = 0;
    try {
      const messages = this.framer.feed(chunk);
      for (let at = 0; at < messages.length && !this.reason; at++) {
        const message = messages[at];
        if (message.type === 'piece') payload += message.block.length;
        else if (message.type === 'port') this.dht?.onPort(this.remoteAddress, message.port);
        this.incoming.dispatch(message);
      }
    } catch (error) {
      this.fail(error, 'receiving');
    }
    this.traffic.received(chunk.length, payload, now);
  }

  private applyGeometry(geometry: PieceGeometry): void {
    checkGeometry(geometry);
    this.geometryValue = geometry;
    this.framer.setPieceCount(geometry.pieceCount);
    this.incoming.geometryKnown(geometry);
  }

  private flushed(bytes: number, payload: number): void {
    const now = this.options.clock();
    this.liveness.sent(now);
    this.traffic.sent(bytes, payload, now);
  }

  private checkLiveness(): void {
    const due = this.liveness.due(this.options.clock());
    if (due === 'keep-alive') {
      if (this.transport.queuedBytes === 0) this.outgoing.send({ type: 'keep-alive' });
    } else if (due) {
      this.close(disconnectReason('timeout', `nothing received for ${Math.round(due.idleMs)} ms`));
    }
  }

  /** Runs a socket or timer callback body; nothing it throws escapes into the event loop. */
  private guard(body: () => unknown): void {
    try {
      body();
    } catch (error) {
      this.fail(error, 'handling an event');
    }
  }

  private fail(error: unknown, context: string): void {
    if (this.reason) {
      // Already closed (a handler's onClose threw): nothing left to close, so make the bug visible.
      process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'PeerConnectionWarning');
      return;
    }
    this.close(error instanceof PeerViolation ? disconnectReason(error.code, error.message) : reasonFromError(error, context));
  }
}
