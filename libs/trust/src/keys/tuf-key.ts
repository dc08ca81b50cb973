import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { Key } from '@tufjs/models';
import { canonicalize } from '@tufjs/canonical-json';
import { TrustError } from '../trust-error';

/** The public half of an ed25519 key as TUF metadata lists it (`keyval.public` is the raw key in hex). */
export interface TufPublicKey {
  /** SHA-256 of the canonical JSON of the key object, hex: the TUF key id. */
  readonly keyId: string;
  readonly keyType: 'ed25519';
  readonly scheme: 'ed25519';
  /** The 32-byte raw public key, lower-case hex. */
  readonly publicHex: string;
}

// An ed25519 SubjectPublicKeyInfo is this 12-byte prefix followed by the raw 32-byte key (RFC 8410).
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function tufPublicKeyFromHex(publicHex: string): TufPublicKey {
  if (!/^[0-9a-f]{64}$/.test(publicHex)) throw new TrustError('bad-key', 'an ed25519 public key is 64 lower-case hex digits');
  const modelKey = new Key({ keyID: '', keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: publicHex } });
  const keyId = createHash('sha256').update(canonicalize(modelKey.toJSON())).digest('hex');
  return { keyId, keyType: 'ed25519', scheme: 'ed25519', publicHex };
}

/** From a node:crypto public (or private: its public half is used) ed25519 KeyObject. */
export function tufPublicKeyFromKeyObject(key: KeyObject): TufPublicKey {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TrustError('bad-key', `expected an ed25519 key, got ${publicKey.asymmetricKeyType ?? 'a symmetric key'}`);
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return tufPublicKeyFromHex(spki.subarray(ED25519_SPKI_PREFIX.length).toString('hex'));
}

/** From a PEM `PUBLIC KEY` (or private key) text. */
export function tufPublicKeyFromPem(pem: string): TufPublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new TrustError('bad-key', `not a PEM key: ${(error as Error).message}`, { cause: error });
  }
  return tufPublicKeyFromKeyObject(key);
}

/** The @tufjs/models Key for root metadata. */
export function toModelKey(key: TufPublicKey): Key {
  return new Key({ keyID: key.keyId, keyType: key.keyType, scheme: key.scheme, keyVal: { public: key.publicHex } });
}

/** A Key read from root metadata, when it is an ed25519 key in the form we write. */
export function fromModelKey(key: Key): TufPublicKey {
  if (key.keyType !== 'ed25519' || key.scheme !== 'ed25519' || typeof key.keyVal.public !== 'string') {
    throw new TrustError('bad-key', `key ${key.keyID} is ${key.keyType}/${key.scheme}; only ed25519 keys are supported`);
  }
  const parsed = tufPublicKeyFromHex(key.keyVal.public);
  if (parsed.keyId !== key.keyID) throw new TrustError('bad-key', `key id ${key.keyID} does not match its key (expected ${parsed.keyId})`);
  return parsed;
}
