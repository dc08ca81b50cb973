import { checkFrameHeader, checkFrameLength, decodeFrame } from './decode';
import { WireError } from './errors';
import { type Message, MessageId } from './message';
import { resolveLimits, type WireLimits } from './limits';

const HEADER_LENGTH = 5;

export interface FramerOptions {
  /**
   * Lend piece blocks instead of giving them: for a reader whose chunk memory is reused once feed()
   * returns (a socket reading into one shared buffer), and that handles the messages of one feed() before
   * the next. A block is then a view of the chunk or of one of two buffers the framer reuses for blocks
   * that straddle chunks, valid until the next feed(); every other message owns its bytes. Saves a 16 KiB
   * allocation per straddling block (every socket read ends inside one), garbage V8 frees only at its next
   * scavenge. Default false: all messages may be views of the chunks fed (see Message).
   */
  readonly lendBlocks?: boolean;
}

/** Messages whose decoded form holds no bytes of the frame, or only a lent block (piece). */
const holdsNoBytes = new Set<number>([
  MessageId.choke,
  MessageId.unchoke,
  MessageId.interested,
  MessageId.notInterested,
  MessageId.have,
  MessageId.request,
  MessageId.piece,
  MessageId.cancel,
  MessageId.port,
  MessageId.suggest,
  MessageId.haveAll,
  MessageId.haveNone,
  MessageId.reject,
  MessageId.allowedFast,
]);

/**
 * Turns the byte stream after the handshake into messages, chunk by chunk. A frame that lies inside one
 * chunk is decoded in place (a piece block is a view of the chunk, not a copy); only a frame that
 * straddles chunks is copied, into one buffer of exactly its size allocated once its header is known and
 * checked. So the framer never holds more than one frame, and an oversized or wrongly sized frame is
 * refused from its first 4-5 bytes, before any of its body is buffered.
 *
 * After a WireError the stream is out of sync and the framer keeps throwing it: disconnect the peer.
 */
export class Framer {
  private limits: WireLimits;
  private readonly lendBlocks: boolean;
  /** lendBlocks: two buffers for straddling blocks, used in turn (one may be lent while the next fills). */
  private readonly blockFrames: (Buffer | undefined)[] = [undefined, undefined];
  private nextBlockFrame = 0;
  private readonly header = Buffer.alloc(HEADER_LENGTH);
  private headerFilled = 0;
  private frame: Buffer | undefined;
  private frameFilled = 0;
  private failure: WireError | undefined;

  constructor(limits: Partial<WireLimits> = {}, options: FramerOptions = {}) {
    this.limits = resolveLimits(limits);
    this.lendBlocks = options.lendBlocks ?? false;
  }

  /** Once metadata arrives (magnet links), bitfields are checked against the piece count from then on. */
  setPieceCount(pieceCount: number): void {
    this.limits = resolveLimits({ ...this.limits, pieceCount });
  }

  /** Bytes held for a partial frame; at most the largest frame the limits allow. */
  get bufferedBytes(): number {
    return this.headerFilled + (this.frame?.length ?? 0);
  }

  /** Feeds the next chunk; returns the messages it completes, in order. Throws only WireError. */
  feed(chunk: Uint8Array): Message[] {
    if (this.failure) throw this.failure;
    const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const messages: Message[] = [];
    try {
      let at = 0;
      while (at < data.length) {
        if (this.frame) at = this.fillFrame(data, at, messages);
        else if (this.headerFilled === 0 && data.length - at >= HEADER_LENGTH) at = this.readFrameInPlace(data, at, messages);
        else at = this.readHeaderByte(data, at, messages);
      }
    } catch (error) {
      if (error instanceof WireError) this.failure = error;
      throw error;
    }
    return messages;
  }

  private readFrameInPlace(data: Buffer, at: number, messages: Message[]): number {
    const length = data.readUInt32BE(at);
    if (length === 0) {
      messages.push({ type: 'keep-alive' });
      return at + 4;
    }
    const id = data[at + 4];
    checkFrameHeader(length, id, this.limits);
    const start = at + 4;
    if (data.length - start >= length) {
      const frame = data.subarray(start, start + length);
      messages.push(decodeFrame(this.lendBlocks && !holdsNoBytes.has(id) ? Buffer.from(frame) : frame, this.limits));
      return start + length;
    }
    this.frame = this.frameBuffer(length, id);
    this.frameFilled = 0;
    return start;
  }

  private readHeaderByte(data: Buffer, at: number, messages: Message[]): number {
    this.header[this.headerFilled++] = data[at];
    if (this.headerFilled === 4) {
      const length = this.header.readUInt32BE(0);
      if (length === 0) {
        this.headerFilled = 0;
        messages.push({ type: 'keep-alive' });
      } else {
        checkFrameLength(length, this.limits);
      }
    } else if (this.headerFilled === HEADER_LENGTH) {
      const length = this.header.readUInt32BE(0);
      checkFrameHeader(length, this.header[4], this.limits);
      this.headerFilled = 0;
      this.frame = this.frameBuffer(length, this.header[4]);
      this.frame[0] = this.header[4];
      this.frameFilled = 1;
      if (length === 1) this.completeFrame(messages);
    }
    return at + 1;
  }

  private fillFrame(data: Buffer, at: number, messages: Message[]): number {
    const frame = this.frame as Buffer;
    const copied = data.copy(frame, this.frameFilled, at, Math.min(data.length, at + frame.length - this.frameFilled));
    this.frameFilled += copied;
    if (this.frameFilled === frame.length) this.completeFrame(messages);
    return at + copied;
  }

  /** A buffer for a frame that straddles chunks: a reused one for a lent block, else its own. */
  private frameBuffer(length: number, id: number): Buffer {
    if (!this.lendBlocks || id !== MessageId.piece) return Buffer.allocUnsafe(length);
    const turn = this.nextBlockFrame;
    this.nextBlockFrame = 1 - turn;
    let buffer = this.blockFrames[turn];
    if (buffer === undefined || buffer.length < length) {
      // allocUnsafeSlow: its own memory, kept for the connection's life, not a slice pinning Node's pool.
      buffer = Buffer.allocUnsafeSlow(length);
      this.blockFrames[turn] = buffer;
    }
    return buffer.length === length ? buffer : buffer.subarray(0, length);
  }

  private completeFrame(messages: Message[]): void {
    const frame = this.frame as Buffer;
    this.frame = undefined;
    messages.push(decodeFrame(frame, this.limits));
  }
}
