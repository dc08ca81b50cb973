import { WireError } from './errors';

/** Which pieces a peer (or we) have; bit 0 is the high bit of byte 0, as on the wire (BEP 3). */
export class Bitfield {
  private readonly bits: Uint8Array;
  private setCount: number;

  /** An empty bitfield of `size` pieces. */
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 0) {
      throw new WireError('bad-argument', `bitfield size ${size} is not a non-negative integer`);
    }
    this.bits = new Uint8Array(byteLength(size));
    this.setCount = 0;
  }

  /** A bitfield with every piece set, as `have-all` announces. */
  static full(size: number): Bitfield {
    const bitfield = new Bitfield(size);
    bitfield.bits.fill(0xff);
    clearSpareBits(bitfield.bits, size);
    bitfield.setCount = size;
    return bitfield;
  }

  /**
   * Validates a peer's bitfield message: exactly ceil(size / 8) bytes and the spare bits at the end zero
   * (BEP 3: "Clients should drop the connection if they receive bitfields that are not of the correct size,
   * or if the bitfield has any of the spare bits set"). The bytes are copied.
   */
  static fromWire(bytes: Uint8Array, size: number): Bitfield {
    checkWireBitfield(bytes, size);
    const bitfield = new Bitfield(size);
    bitfield.bits.set(bytes);
    bitfield.setCount = popcount(bitfield.bits);
    return bitfield;
  }

  get count(): number {
    return this.setCount;
  }

  get isFull(): boolean {
    return this.setCount === this.size;
  }

  get isEmpty(): boolean {
    return this.setCount === 0;
  }

  has(index: number): boolean {
    this.checkIndex(index);
    return (this.bits[index >>> 3] & (0x80 >>> (index & 7))) !== 0;
  }

  /** Sets a piece; returns false if it was already set. */
  set(index: number): boolean {
    if (this.has(index)) return false;
    this.bits[index >>> 3] |= 0x80 >>> (index & 7);
    this.setCount++;
    return true;
  }

  /** Clears a piece; returns false if it was not set. */
  clear(index: number): boolean {
    if (!this.has(index)) return false;
    this.bits[index >>> 3] &= ~(0x80 >>> (index & 7));
    this.setCount--;
    return true;
  }

  /** The wire bytes (a copy), ready for a bitfield message. */
  toWire(): Buffer {
    return Buffer.from(this.bits);
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new WireError('bad-argument', `piece index ${index} is outside a bitfield of ${this.size} pieces`);
    }
  }
}

/** Throws bad-bitfield unless `bytes` is a valid wire bitfield for `size` pieces. */
export function checkWireBitfield(bytes: Uint8Array, size: number): void {
  const expected = byteLength(size);
  if (bytes.length !== expected) {
    throw new WireError('bad-bitfield', `bitfield is ${bytes.length} bytes, ${size} pieces need ${expected}`);
  }
  const spare = expected * 8 - size;
  if (spare > 0 && (bytes[expected - 1] & ((1 << spare) - 1)) !== 0) {
    throw new WireError('bad-bitfield', `bitfield has spare bits set after piece ${size - 1}`);
  }
}

function byteLength(size: number): number {
  return Math.ceil(size / 8);
}

function clearSpareBits(bits: Uint8Array, size: number): void {
  const spare = bits.length * 8 - size;
  if (spare > 0) bits[bits.length - 1] &= 0xff << spare;
}

/** Counts set bits 32 at a time (SWAR), so a 100k-piece bitfield is counted in a few thousand steps. */
function popcount(bits: Uint8Array): number {
  const view = new DataView(bits.buffer, bits.byteOffset, bits.byteLength);
  const whole = bits.length & ~3;
  let total = 0;
  for (let at = 0; at < whole; at += 4) {
    let word = view.getUint32(at);
    word -= (word >>> 1) & 0x55555555;
    word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
    total += (Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  for (let at = whole; at < bits.length; at++) {
    let byte = bits[at];
    while (byte !== 0) {
      byte &= byte - 1;
      total++;
    }
  }
  return total;
}
