import type { Socket } from 'node:net';
import type { Message, StreamCipher } from '@seedfleet/wire';
import { type ChunkConsumer, type ChunkSource, SocketChunks } from './chunk-source';
import { type DisconnectReason, disconnectReason } from './disconnect-reason';
import { OutgoingBatch } from './outgoing-batch';

/** What the transport tells its connection; each call comes from a socket callback. */
export interface TransportEvents {
  /** A flush handed `bytes` to the socket, `payload` of them piece blocks. */
  flushed(bytes: number, payload: number): void;
  /** The socket failed or closed, or the peer stopped reading: the connection must close. */
  broken(reason: DisconnectReason): void;
  /** The socket's buffer emptied. */
  drained(): void;
}

export interface TransportInit {
  /** A connected socket whose handshake is done. */
  readonly socket: Socket;
  /** Its incoming bytes; default: the socket's 'data' events. */
  readonly input?: ChunkSource;
  /** RC4 negotiated by MSE: incoming chunks are decrypted in place, outgoing batches encrypted into a copy. */
  readonly cipher?: StreamCipher;
  /** `canSendMore` turns false above this many buffered outgoing bytes. */
  readonly sendBufferLimit: number;
  /** Past this many bytes buffered in the socket the peer counts as a slow reader. */
  readonly maxSendBuffer: number;
}

/**
 * The bytes under a peer connection: chunks in (through MSE's decryptor), messages out (batched per tick,
 * encrypted), and the send buffer's accounting. Knows nothing of the protocol above it.
 */
export class PeerTransport {
  readonly remoteAddress: string;
  readonly remotePort: number;
  private readonly socket: Socket;
  private readonly input: ChunkSource;
  private readonly cipher: StreamCipher | undefined;
  private readonly batch: OutgoingBatch;
  private readonly sendBufferLimit: number;
  private readonly maxSendBuffer: number;

  constructor(init: TransportInit, events: TransportEvents) {
    this.socket = init.socket;
    this.input = init.input ?? new SocketChunks(init.socket);
    this.cipher = init.cipher;
    this.sendBufferLimit = init.sendBufferLimit;
    this.maxSendBuffer = init.maxSendBuffer;
    this.remoteAddress = init.socket.remoteAddress ?? '';
    this.remotePort = init.socket.remotePort ?? 0;
    this.batch = new OutgoingBatch(this.socket, (bytes, payload) => this.flushed(bytes, payload, events), init.cipher?.encrypt);
    this.socket.setNoDelay(true);
    this.socket.on('error', (error) => events.broken(disconnectReason('socket-error', `socket error: ${error.message}`, error)));
    this.socket.on('end', () => events.broken(disconnectReason('closed-by-peer', 'the peer closed the connection')));
    this.socket.on('close', () => events.broken(disconnectReason('closed-by-peer', 'the connection closed')));
    this.socket.on('drain', () => events.drained());
  }

  get destroyed(): boolean {
    return this.socket.destroyed;
  }

  /** Starts reading: every chunk, decrypted, goes to `receive` (valid only during the call). */
  startReading(receive: ChunkConsumer): void {
    const decrypt = this.cipher?.decrypt;
    this.input.setConsumer(
      decrypt
        ? (chunk) => {
            decrypt.xorInPlace(chunk);
            receive(chunk);
          }
        : receive,
    );
  }

  /** Throws WireError('bad-argument') for an unencodable message, before anything is queued. */
  send(message: Message): void {
    this.batch.push(message);
  }

  /** A piece message whose block is written without a copy; see OutgoingBatch.pushPiece. */
  sendPiece(index: number, begin: number, block: Buffer, onWritten?: () => void): void {
    this.batch.pushPiece(index, begin, block, onWritten);
  }

  /** Bytes queued this tick and not yet handed to the socket. */
  get queuedBytes(): number {
    return this.batch.pendingBytes;
  }

  /** Outgoing bytes not yet on the wire: queued this tick plus the socket's buffer. */
  get writableLength(): number {
    return this.socket.writableLength + this.batch.pendingBytes;
  }

  /** False while the send buffer is over its limit; `drained` follows when it empties. */
  get canSendMore(): boolean {
    return this.writableLength < Math.max(this.sendBufferLimit, this.socket.writableHighWaterMark);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private flushed(bytes: number, payload: number, events: TransportEvents): void {
    events.flushed(bytes, payload);
    if (this.socket.writableLength > this.maxSendBuffer) {
      events.broken(disconnectReason('slow-reader', `${this.socket.writableLength} bytes wait to be sent; the peer stopped reading`));
    }
  }
}
