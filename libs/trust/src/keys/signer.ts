import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TrustError } from '../trust-error';
import { tufPublicKeyFromKeyObject, type TufPublicKey } from './tuf-key';

/**
 * Something that signs metadata with one key. The repository only ever sees this interface, so a root key
 * can stay offline (the CLI signs), and an online key can live in a KMS or HSM behind another implementation.
 */
export interface Signer {
  readonly publicKey: TufPublicKey;
  /** The raw signature over `payload` (the canonical JSON of a role's `signed` object). */
  sign(payload: Uint8Array): Promise<Uint8Array>;
}

/** A signer holding an ed25519 private key in memory. */
export class Ed25519Signer implements Signer {
  readonly publicKey: TufPublicKey;

  private constructor(private readonly privateKey: KeyObject) {
    this.publicKey = tufPublicKeyFromKeyObject(privateKey);
  }

  static fromKeyObject(privateKey: KeyObject): Ed25519Signer {
    if (privateKey.type !== 'private') throw new TrustError('bad-key', 'a signer needs a private key');
    return new Ed25519Signer(privateKey);
  }

  /** From a PKCS#8 `PRIVATE KEY` PEM text. */
  static fromPem(pem: string, source = 'key'): Ed25519Signer {
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch (error) {
      throw new TrustError('bad-key', `${source}: not a PEM private key (${(error as Error).message})`, { cause: error });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new TrustError('bad-key', `${source}: expected an ed25519 key, got ${key.asymmetricKeyType}`);
    return new Ed25519Signer(key);
  }

  async sign(payload: Uint8Array): Promise<Uint8Array> {
    return sign(null, payload, this.privateKey);
  }

  /** PKCS#8 PEM, for writing key files. */
  toPem(): string {
    return this.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  }
}

export function generateEd25519Signer(): Ed25519Signer {
  return Ed25519Signer.fromKeyObject(generateKeyPairSync('ed25519').privateKey);
}

export async function loadSignerFromFile(path: string): Promise<Ed25519Signer> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    throw new TrustError('io', `cannot read key file ${path}: ${(error as Error).message}`, { cause: error });
  }
  return Ed25519Signer.fromPem(pem, path);
}

/**
 * From an environment variable holding the PEM text base64-encoded (one line, so it fits a Kubernetes
 * secret or a CI variable). Undefined when the variable is unset or empty.
 */
export function loadSignerFromEnv(env: Readonly<Record<string, string | undefined>>, variable: string): Ed25519Signer | undefined {
  const encoded = env[variable]?.trim();
  if (!encoded) return undefined;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(encoded)) throw new TrustError('bad-key', `${variable}: expected a base64-encoded PEM private key`);
  return Ed25519Signer.fromPem(Buffer.from(encoded, 'base64').toString('utf8'), variable);
}
