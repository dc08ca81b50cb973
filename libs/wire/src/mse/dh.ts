import { createHash } from 'node:crypto';
import { MseError } from './mse-error';
import { Rc4 } from './rc4';

/** MSE's 768-bit prime P (generator G = 2), big-endian. */
export const MSE_PRIME = Buffer.from(
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563',
  'hex',
);
/** Ya, Yb and S are sent and hashed as 96 bytes, zero-padded on the left. */
export const MSE_KEY_LENGTH = 96;
/** Xa, Xb: 160 bits, as the spec recommends. */
export const MSE_PRIVATE_KEY_LENGTH = 20;

/** Random bytes; injectable so tests are deterministic. */
export type RandomSource = (length: number) => Buffer;

const PRIME = toBigInt(MSE_PRIME);

/**
 * base^exponent mod P by square-and-multiply on BigInt: ~0.5 ms for a 160-bit exponent. Node's
 * createDiffieHellman checks the prime first, 50-150 ms of CPU on the first handshake of every process
 * (both ends of a connection, in the way of its first bytes). Not constant-time: MSE is obfuscation
 * against traffic shaping (RC4, a public 768-bit group), not secrecy against a timing attacker.
 */
function powMod(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base % PRIME;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % PRIME;
    square = (square * square) % PRIME;
  }
  return result;
}

/** Y = G^X mod P for a 20-byte private key X, as 96 bytes. */
export function publicKey(privateKey: Uint8Array): Buffer {
  if (privateKey.length !== MSE_PRIVATE_KEY_LENGTH) throw new MseError('bad-argument', `an MSE private key is 20 bytes, got ${privateKey.length}`);
  return toKeyBytes(powMod(2n, toBigInt(privateKey)));
}

/**
 * S = Y^X mod P as 96 bytes. Refuses public keys outside [2, P-2]: 0, 1 and P-1 give a secret an
 * attacker knows without the private key.
 */
export function sharedSecret(privateKey: Uint8Array, remotePublic: Uint8Array): Buffer {
  const remote = Buffer.from(remotePublic.buffer, remotePublic.byteOffset, remotePublic.byteLength);
  if (remote.length !== MSE_KEY_LENGTH) throw new MseError('bad-public-key', `a public key is 96 bytes, got ${remote.length}`);
  const last = remote[MSE_KEY_LENGTH - 1];
  const small = remote.subarray(0, MSE_KEY_LENGTH - 1).every((byte) => byte === 0) && last <= 1;
  const minusOne = Buffer.from(MSE_PRIME);
  minusOne[MSE_KEY_LENGTH - 1] -= 1;
  if (small || remote.compare(minusOne) >= 0) throw new MseError('bad-public-key', 'the peer sent a degenerate public key (0, 1, P-1 or above)');
  return toKeyBytes(powMod(toBigInt(remote), toBigInt(privateKey)));
}

/** SHA-1 over the parts, as MSE's HASH(). */
export function mseHash(...parts: (string | Uint8Array)[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** HASH('req2', SKEY) xor HASH('req3', S): the obfuscated info hash the initiator sends. */
export function obfuscatedInfoHash(secretKey: Uint8Array, secret: Uint8Array): Buffer {
  return xor(mseHash('req2', secretKey), mseHash('req3', secret));
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let at = 0; at < a.length; at++) out[at] = a[at] ^ b[at];
  return out;
}

/** The RC4-drop1024 streams: keyA encrypts what the initiator (A) sends, keyB what the responder sends. */
export function streamCiphers(secret: Uint8Array, secretKey: Uint8Array): { readonly fromInitiator: Rc4; readonly fromResponder: Rc4 } {
  return {
    fromInitiator: new Rc4(mseHash('keyA', secret, secretKey), 1024),
    fromResponder: new Rc4(mseHash('keyB', secret, secretKey), 1024),
  };
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

/** A number below P as 96 big-endian bytes, zero-padded on the left. */
function toKeyBytes(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(MSE_KEY_LENGTH * 2, '0'), 'hex');
}
