/**
 * The picker's own copy of which pieces a non-seed peer has. Keeping it here (an eighth of a byte per
 * piece) means a disconnect subtracts exactly what was added, whatever the engine's copy went through.
 */
export class PeerBits {
  private readonly bits: Uint8Array;

  constructor(pieceCount: number) {
    this.bits = new Uint8Array(Math.ceil(pieceCount / 8));
  }

  has(piece: number): boolean {
    return (this.bits[piece >>> 3] & (0x80 >>> (piece & 7))) !== 0;
  }

  /** Returns false if the piece was already set. */
  set(piece: number): boolean {
    if (this.has(piece)) return false;
    this.bits[piece >>> 3] |= 0x80 >>> (piece & 7);
    return true;
  }
}
