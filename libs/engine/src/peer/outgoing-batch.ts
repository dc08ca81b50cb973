import type { Socket } from 'node:net';
import { encodedLength, encodeInto, encodePieceHeader, type Message, PIECE_HEADER_LENGTH, type Rc4 } from '@seedfleet/wire';

const SCRATCH_SIZE = 16 * 1024;

/**
 * Everything sent during one tick goes to the socket together, at the end of the tick. Messages are
 * encoded straight into a scratch buffer handed out in consecutive slices (bytes already given to the
 * socket are never rewritten, so no copy is needed and the buffer is only replaced when full); a piece
 * block is queued as its own chunk after its header, never copied. A flush of several chunks is one
 * corked write, which Node turns into a single writev.
 */
export class OutgoingBatch {
  private scratch = Buffer.allocUnsafe(SCRATCH_SIZE);
  private sliceStart = 0;
  private used = 0;
  private chunks: Buffer[] = [];
  /** Called once the socket wrote the chunk at the same position (or failed to); sparse. */
  private written: ((() => void) | undefined)[] = [];
  private chunkBytes = 0;
  private payloadBytes = 0;
  private scheduled = false;
  private readonly flushCallback = (): void => this.flush();

  constructor(
    private readonly socket: Socket,
    /** Told what each flush wrote: all bytes and the block bytes among them. */
    private readonly onFlush: (bytes: number, payloadBytes: number) => void,
    /** MSE's RC4 stream: a flush is encrypted into one new buffer (blocks are never modified). */
    private readonly encrypt?: Rc4,
  ) {}

  /** Bytes queued and not yet handed to the socket. */
  get pendingBytes(): number {
    return this.chunkBytes + this.used - this.sliceStart;
  }

  /** Throws WireError('bad-argument') for an unencodable message, before anything is queued. */
  push(message: Message): void {
    this.reserve(encodedLength(message));
    this.used = encodeInto(message, this.scratch, this.used);
    this.schedule();
  }

  /**
   * Queues a piece message; `block` must stay unchanged until the socket has written it, which
   * `onWritten` tells (also when the connection closed first: it is called exactly once either way).
   */
  pushPiece(index: number, begin: number, block: Buffer, onWritten?: () => void): void {
    this.reserve(PIECE_HEADER_LENGTH);
    encodePieceHeader(index, begin, block.length, this.scratch, this.used);
    this.used += PIECE_HEADER_LENGTH;
    this.seal();
    if (onWritten) this.written[this.chunks.length] = onWritten;
    this.chunks.push(block);
    this.chunkBytes += block.length;
    this.payloadBytes += block.length;
    this.schedule();
  }

  /** Hands everything queued to the socket now. */
  flush(): void {
    this.scheduled = false;
    this.seal();
    if (this.chunks.length === 0) return;
    const { chunks, chunkBytes, payloadBytes, written } = this;
    this.chunks = [];
    this.written = [];
    this.chunkBytes = 0;
    this.payloadBytes = 0;
    if (this.socket.destroyed) {
      for (const done of written) done?.();
      return;
    }
    if (this.encrypt) {
      this.writeEncrypted(this.encrypt, chunks, chunkBytes, written);
    } else if (chunks.length === 1) {
      this.socket.write(chunks[0], written[0]);
    } else {
      this.socket.cork();
      for (let at = 0; at < chunks.length; at++) this.socket.write(chunks[at], written[at]);
      this.socket.uncork();
    }
    this.onFlush(chunkBytes, payloadBytes);
  }

  private writeEncrypted(encrypt: Rc4, chunks: Buffer[], chunkBytes: number, written: ((() => void) | undefined)[]): void {
    const out = Buffer.allocUnsafe(chunkBytes);
    let at = 0;
    for (const chunk of chunks) {
      encrypt.xorInto(chunk, 0, chunk.length, out, at);
      at += chunk.length;
    }
    const callbacks = written.filter((done) => done !== undefined);
    // Corked like the plaintext path: an uncorked write the kernel takes at once returns true and never
    // emits 'drain', while the connection may have reported canSendMore false for these pending bytes.
    this.socket.cork();
    this.socket.write(out, callbacks.length === 0 ? undefined : () => callbacks.forEach((done) => done()));
    this.socket.uncork();
  }

  private reserve(length: number): void {
    if (this.scratch.length - this.used >= length) return;
    this.seal();
    this.scratch = Buffer.allocUnsafe(Math.max(SCRATCH_SIZE, length));
    this.sliceStart = 0;
    this.used = 0;
  }

  private seal(): void {
    if (this.used === this.sliceStart) return;
    this.chunks.push(this.scratch.subarray(this.sliceStart, this.used));
    this.chunkBytes += this.used - this.sliceStart;
    this.sliceStart = this.used;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    process.nextTick(this.flushCallback);
  }
}
