/**
 * Bytes received during an MSE handshake and not consumed yet. The handshake fails once a search
 * window is exhausted, so what accumulates here is bounded by the spec's pad limits (plus the chunk
 * that completes the handshake, handed back as the remainder).
 */
export class PendingBytes {
  private bytes: Buffer = Buffer.alloc(0);

  get length(): number {
    return this.bytes.length;
  }

  append(chunk: Uint8Array): void {
    const buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.bytes = this.bytes.length === 0 ? buffer : Buffer.concat([this.bytes, buffer]);
  }

  /** Where `needle` starts within the first `window` bytes (a match must fit there whole), or -1. */
  indexOf(needle: Buffer, window: number): number {
    return this.bytes.subarray(0, Math.min(this.bytes.length, window)).indexOf(needle);
  }

  /** Removes and returns a copy of the first `count` bytes (the caller may decrypt it in place). */
  take(count: number): Buffer {
    const taken = Buffer.from(this.bytes.subarray(0, count));
    this.bytes = this.bytes.subarray(count);
    return taken;
  }

  skip(count: number): void {
    this.bytes = this.bytes.subarray(count);
  }

  /** Everything left, copied (it may be decrypted in place). */
  takeAll(): Buffer {
    return this.take(this.bytes.length);
  }
}
