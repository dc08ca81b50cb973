import type { CryptoMethodName } from './crypto-method';
import { MSE_PRIVATE_KEY_LENGTH, type RandomSource } from './dh';
import { MseError } from './mse-error';
import type { Rc4 } from './rc4';

/** PadA, PadB, PadC and PadD: 0 to 512 bytes. */
export const MSE_MAX_PAD = 512;
/** Verification constant: 8 zero bytes. */
export const MSE_VC = Buffer.alloc(8);

/** The two keystreams of an RC4 connection, from our side: encrypt what we send, decrypt what we get. */
export interface StreamCipher {
  readonly encrypt: Rc4;
  readonly decrypt: Rc4;
}

export interface MseResult {
  readonly method: CryptoMethodName;
  /** Only when `method` is rc4: every later byte goes through it, both ways. */
  readonly cipher: StreamCipher | undefined;
  /** SKEY: the info hash the connection is for (20 bytes; a v2 one truncated). */
  readonly infoHash: Buffer;
  /** Responder: the initiator's initial payload, decrypted (empty for the initiator). */
  readonly initialPayload: Buffer;
  /** Bytes received after the handshake, decrypted when RC4: the start of the payload stream. */
  readonly remainder: Buffer;
}

/** What one call of `receive` produced: bytes to send now and, once complete, the result. */
export interface MseProgress {
  readonly send: Buffer | undefined;
  readonly result: MseResult | undefined;
}

export interface MseCommonOptions {
  /** Default crypto.randomBytes. */
  readonly random?: RandomSource;
  /** Pad lengths we send; default random in 0..512 (tests pin them). */
  readonly padLength?: () => number;
}

export function privateKeyFrom(random: RandomSource): Buffer {
  const key = random(MSE_PRIVATE_KEY_LENGTH);
  if (key.length !== MSE_PRIVATE_KEY_LENGTH) throw new MseError('bad-argument', `the random source returned ${key.length} bytes, not 20`);
  return key;
}

export function padLengthFrom(options: MseCommonOptions, random: RandomSource): number {
  const length = options.padLength ? options.padLength() : random(2).readUInt16BE(0) % (MSE_MAX_PAD + 1);
  if (!Number.isInteger(length) || length < 0 || length > MSE_MAX_PAD) throw new MseError('bad-argument', `pad length ${length} is outside 0..512`);
  return length;
}

export function uint16(value: number): Buffer {
  const out = Buffer.allocUnsafe(2);
  out.writeUInt16BE(value, 0);
  return out;
}

export function uint32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(value, 0);
  return out;
}

export function done(result: MseResult, send?: Buffer): MseProgress {
  return { send, result };
}

export const NOTHING: MseProgress = { send: undefined, result: undefined };
