/**
 * RC4 keystream (Node's OpenSSL 3 build has no 'rc4' cipher, so it lives here). One instance is one
 * direction of a connection: every call continues the keystream where the previous one stopped.
 */
export class Rc4 {
  private readonly state = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** `discard` keystream bytes are dropped first (MSE drops 1024, "RC4-drop1024"). */
  constructor(key: Uint8Array, discard = 0) {
    if (key.length === 0 || key.length > 256) throw new RangeError(`an RC4 key is 1 to 256 bytes, got ${key.length}`);
    const state = this.state;
    for (let at = 0; at < 256; at++) state[at] = at;
    let j = 0;
    for (let at = 0; at < 256; at++) {
      const value = state[at];
      j = (j + value + key[at % key.length]) & 0xff;
      state[at] = state[j];
      state[j] = value;
    }
    if (discard > 0) this.skip(discard);
  }

  /** XORs `bytes[start, end)` with the keystream in place. */
  xorInPlace(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.xorInto(bytes, start, end, bytes, start);
  }

  /** Writes `source[start, end)` XOR keystream to `target` from `targetStart` (source is not changed). */
  xorInto(source: Uint8Array, start: number, end: number, target: Uint8Array, targetStart: number): void {
    const state = this.state;
    let i = this.i;
    let j = this.j;
    let out = targetStart;
    for (let at = start; at < end; at++) {
      i = (i + 1) & 0xff;
      const x = state[i];
      j = (j + x) & 0xff;
      const y = state[j];
      state[i] = y;
      state[j] = x;
      target[out++] = source[at] ^ state[(x + y) & 0xff];
    }
    this.i = i;
    this.j = j;
  }

  /** Advances the keystream without output. */
  skip(count: number): void {
    const scratch = new Uint8Array(Math.min(count, 1024));
    for (let left = count; left > 0; left -= scratch.length) this.xorInPlace(scratch, 0, Math.min(left, scratch.length));
  }
}
