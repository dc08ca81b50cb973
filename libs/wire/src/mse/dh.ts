import { createDiffieHellman, createHash, type DiffieHellman } from 'node:crypto';
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

// Building a DiffieHellman checks the prime (~50 ms): one object serves every handshake, each use setting
// its private key first (calls are synchronous, so they cannot interleave).
let shared: DiffieHellman | undefined;
function dh(privateKey: Uint8Array): DiffieHellman {
  shared ??= createDiffieHellman(MSE_PRIME, 2);
  shared.setPrivateKey(privateKey);
  return shared;
}

/** Y = G^X mod P for a 20-byte private key X, as 96 bytes. */
export function publicKey(privateKey: Uint8Array): Buffer {
  if (privateKey.length !== MSE_PRIVATE_KEY_LENGTH) throw new MseError('bad-argument', `an MSE private key is 20 bytes, got ${privateKey.length}`);
  return padLeft(dh(privateKey).generateKeys());
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
  try {
    return padLeft(dh(privateKey).computeSecret(remote));
  } catch (error) {
    throw new MseError('bad-public-key', `computing the shared secret: ${(error as Error).message}`, { cause: error });
  }
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

function padLeft(bytes: Buffer): Buffer {
  if (bytes.length === MSE_KEY_LENGTH) return bytes;
  const out = Buffer.alloc(MSE_KEY_LENGTH);
  bytes.copy(out, MSE_KEY_LENGTH - bytes.length);
  return out;
}
