const FIRST_CHUNK = 256;
const MAX_CHUNK = 64 * 1024;
/** Byte strings at least this long are kept as their own chunk instead of being copied into one. */
const ZERO_COPY_THRESHOLD = 4 * 1024;
const EMPTY = Buffer.alloc(0);
/** Texts up to this many chars are copied in JavaScript rather than through Buffer#write. */
const SHORT_TEXT = 32;

/**
 * Output collected in growing chunks and joined once at the end, so encoding costs one final copy
 * (large byte strings are not even copied before it) and small outputs allocate little.
 */
export class ChunkWriter {
  private readonly chunks: Buffer[] = [];
  private chunkSize = FIRST_CHUNK;
  private chunk = Buffer.allocUnsafe(FIRST_CHUNK);
  private used = 0;
  private total = 0;

  byte(value: number): void {
    if (this.used === this.chunk.length) this.nextChunk(1);
    this.chunk[this.used++] = value;
    this.total++;
  }

  /** Text known to be ASCII: integer tokens and length prefixes. */
  ascii(text: string): void {
    if (this.chunk.length - this.used < text.length) this.nextChunk(text.length);
    this.used += text.length <= SHORT_TEXT ? this.copyCodes(text) : this.chunk.write(text, this.used, 'latin1');
    this.total += text.length;
  }

  bytes(value: Uint8Array): void {
    if (value.length >= ZERO_COPY_THRESHOLD) {
      this.seal();
      this.chunks.push(Buffer.from(value.buffer, value.byteOffset, value.length));
    } else {
      if (this.chunk.length - this.used < value.length) this.nextChunk(value.length);
      this.chunk.set(value, this.used);
      this.used += value.length;
    }
    this.total += value.length;
  }

  /** Writes `text` as UTF-8; `byteLength` is its already computed encoded length. */
  utf8(text: string, byteLength: number): void {
    if (byteLength >= ZERO_COPY_THRESHOLD) {
      this.bytes(Buffer.from(text, 'utf8'));
      return;
    }
    if (this.chunk.length - this.used < byteLength) this.nextChunk(byteLength);
    // Short ASCII (byte length = UTF-16 length) is copied char by char: cheaper than a native call.
    this.used += byteLength === text.length && byteLength <= SHORT_TEXT ? this.copyCodes(text) : this.chunk.write(text, this.used, 'utf8');
    this.total += byteLength;
  }

  /** Copies text whose char codes are all below 256 (the caller knows), returning its length. */
  private copyCodes(text: string): number {
    const chunk = this.chunk;
    const start = this.used;
    for (let index = 0; index < text.length; index++) chunk[start + index] = text.charCodeAt(index);
    return text.length;
  }

  finish(): Buffer {
    this.seal();
    return Buffer.concat(this.chunks, this.total);
  }

  /** Ends the current chunk; the next write allocates a new one. */
  private seal(): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used));
    this.chunk = EMPTY;
    this.used = 0;
  }

  private nextChunk(needed: number): void {
    this.seal();
    this.chunkSize = Math.min(this.chunkSize * 2, MAX_CHUNK);
    this.chunk = Buffer.allocUnsafe(Math.max(needed, this.chunkSize));
  }
}
