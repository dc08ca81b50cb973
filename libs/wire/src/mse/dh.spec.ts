import { MSE_PRIME, mseHash, obfuscatedInfoHash, publicKey, sharedSecret, streamCiphers } from './dh';
import { MseError } from './mse-error';

const sha1 = (bytes: Buffer): string => mseHash(bytes).toString('hex');
const xa = Buffer.from(Array.from({ length: 20 }, (_, at) => at + 1));
const xb = Buffer.from(Array.from({ length: 20 }, (_, at) => at + 21));
const skey = Buffer.alloc(20, 0xaa);

/** Expected values computed with Python's pow() and hashlib and a separate RC4, not with this code. */
describe('MSE key agreement', () => {
  it('derives Y, S, the sync hashes and both keystreams as the spec says', () => {
    const ya = publicKey(xa);
    const yb = publicKey(xb);
    expect([ya.length, sha1(ya), sha1(yb)]).toEqual([96, '9fa4c50e31ec4635ddb9ef30405e9db341313ed2', 'e87d6f3297cfe8e032abf07a2ab1028c4e2dcbb0']);
    const secret = sharedSecret(xa, yb);
    expect(sharedSecret(xb, ya).equals(secret)).toBe(true);
    expect(sha1(secret)).toBe('12ba167261b1d285979464feaaf403c26052c6b8');
    expect(mseHash('req1', secret).toString('hex')).toBe('83c8d8a3d91a5bf40d723666c4258731c8427ccb');
    expect(obfuscatedInfoHash(skey, secret).toString('hex')).toBe('4a278249411ccc527bb5e8d3a33af2a69725a1fc');
    const { fromInitiator, fromResponder } = streamCiphers(secret, skey);
    const [a, b] = [Buffer.alloc(16), Buffer.alloc(16)];
    fromInitiator.xorInPlace(a);
    fromResponder.xorInPlace(b);
    expect([a.toString('hex'), b.toString('hex')]).toEqual(['0327b6d211c82d4947ce46c3fdb5f379', '06d0d8359370f45e284e8cb532fd4619']);
  });

  it('pads a short Y and S on the left to 96 bytes', () => {
    const one = Buffer.alloc(20);
    one[19] = 1;
    const two = Buffer.alloc(96);
    two[95] = 2;
    expect(publicKey(one).equals(two)).toBe(true);
    expect(sharedSecret(one, two).equals(two)).toBe(true);
  });

  it('refuses degenerate public keys and wrong sizes with MseError', () => {
    const one = Buffer.alloc(96);
    one[95] = 1;
    const minusOne = Buffer.from(MSE_PRIME);
    minusOne[95] -= 1;
    for (const bad of [Buffer.alloc(96), one, minusOne, MSE_PRIME, Buffer.alloc(96, 0xff), Buffer.alloc(95, 2)]) {
      expect(() => sharedSecret(xa, bad)).toThrow(MseError);
    }
    expect(() => publicKey(Buffer.alloc(19))).toThrow(MseError);
  });
});
