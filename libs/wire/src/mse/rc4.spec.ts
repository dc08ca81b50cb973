import { Rc4 } from './rc4';

/** RFC 6229 keystreams (checked against OpenSSL's legacy rc4 and rc4-40 ciphers). */
const vectors = [
  { key: '0102030405', offset0: 'b2396305f03dc027ccc3524a0a1118a8', offset1024: '30abbcc7c20b01609f23ee2d5f6bb7df' },
  { key: '0102030405060708090a0b0c0d0e0f10', offset0: '9ac7cc9a609d1ef7b2932899cde41b97', offset1024: 'bdf0324e6083dcc6d3cedd3ca8c53c16' },
];

describe('Rc4', () => {
  it.each(vectors)('matches RFC 6229 for key $key at offsets 0 and 1024', ({ key, offset0, offset1024 }) => {
    const stream = Buffer.alloc(1040);
    new Rc4(Buffer.from(key, 'hex')).xorInPlace(stream);
    expect(stream.subarray(0, 16).toString('hex')).toBe(offset0);
    expect(stream.subarray(1024).toString('hex')).toBe(offset1024);
    const dropped = Buffer.alloc(16);
    new Rc4(Buffer.from(key, 'hex'), 1024).xorInPlace(dropped);
    expect(dropped.toString('hex')).toBe(offset1024);
  });

  it('continues the keystream across calls, in place or into another buffer', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog, several times over');
    const whole = Buffer.from(data);
    new Rc4(Buffer.from('key'), 1024).xorInPlace(whole);
    const pieces = Buffer.alloc(data.length);
    const cipher = new Rc4(Buffer.from('key'), 1024);
    cipher.xorInto(data, 0, 7, pieces, 0);
    cipher.xorInto(data, 7, 30, pieces, 7);
    pieces.set(data.subarray(30), 30);
    cipher.xorInPlace(pieces, 30);
    expect(pieces.equals(whole)).toBe(true);
    expect(data.toString()).toContain('quick brown fox');
    new Rc4(Buffer.from('key'), 1024).xorInPlace(whole);
    expect(whole.equals(data)).toBe(true);
  });

  it('refuses an empty or oversized key', () => {
    expect(() => new Rc4(Buffer.alloc(0))).toThrow(RangeError);
    expect(() => new Rc4(Buffer.alloc(257))).toThrow(RangeError);
  });
});
