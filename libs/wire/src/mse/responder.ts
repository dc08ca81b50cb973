import { randomBytes } from 'node:crypto';
import { CryptoMethod, type CryptoMethodName } from './crypto-method';
import { MSE_KEY_LENGTH, mseHash, publicKey, type RandomSource, sharedSecret, streamCiphers, xor } from './dh';
import { MseError } from './mse-error';
import { done, MSE_MAX_PAD, MSE_VC, type MseCommonOptions, type MseProgress, NOTHING, padLengthFrom, privateKeyFrom, uint16, uint32 } from './mse-result';
import { PendingBytes } from './pending-bytes';
import type { Rc4 } from './rc4';

export interface MseResponderOptions extends MseCommonOptions {
  /** The SKEY (info hash) whose HASH('req2', SKEY) this is, among the torrents we serve; see secretKeyIndex. */
  readonly findSecretKey: (req2Hash: Buffer) => Uint8Array | undefined;
  /** crypto_select for the peer's crypto_provide; undefined refuses (see selectCryptoMethod). */
  readonly select: (provided: number) => CryptoMethodName | undefined;
  /** Largest initial payload accepted (default 65535, the field's maximum). */
  readonly maxInitialPayload?: number;
}

type Stage = 'await-ya' | 'sync-req1' | 'skey' | 'provide' | 'pad-c' | 'ia' | 'done';

const HASH_LENGTH = 20;

/**
 * The accepting side of MSE without I/O: feed it the peer's bytes from the first one (the caller has
 * seen that it is not a plaintext handshake); it answers Yb + PadB, finds the torrent, and ends with
 * the peer's initial payload and the negotiated stream. Throws only MseError.
 */
export class MseResponder {
  private readonly random: RandomSource;
  private readonly privateKey: Buffer;
  private readonly maxInitialPayload: number;
  private readonly pending = new PendingBytes();
  private stage: Stage = 'await-ya';
  private secret: Buffer | undefined;
  private req1: Buffer | undefined;
  private infoHash: Buffer | undefined;
  private encrypt: Rc4 | undefined;
  private decrypt: Rc4 | undefined;
  private method: CryptoMethodName | undefined;
  private padCLength = 0;
  private initialPayloadLength = 0;

  constructor(private readonly options: MseResponderOptions) {
    this.random = options.random ?? randomBytes;
    this.maxInitialPayload = options.maxInitialPayload ?? 0xffff;
    this.privateKey = privateKeyFrom(this.random);
  }

  receive(chunk: Uint8Array): MseProgress {
    if (this.stage === 'done') throw new MseError('bad-argument', 'receive() after the handshake completed');
    this.pending.append(chunk);
    let send: Buffer | undefined;
    if (this.stage === 'await-ya') {
      if (this.pending.length < MSE_KEY_LENGTH) return NOTHING;
      this.secret = sharedSecret(this.privateKey, this.pending.take(MSE_KEY_LENGTH));
      this.req1 = mseHash('req1', this.secret);
      send = Buffer.concat([publicKey(this.privateKey), this.random(padLengthFrom(this.options, this.random))]);
      this.stage = 'sync-req1';
    }
    const waiting: MseProgress = { send, result: undefined };
    if (this.stage === 'sync-req1') {
      const at = this.pending.indexOf(this.req1 as Buffer, MSE_MAX_PAD + HASH_LENGTH);
      if (at < 0) {
        if (this.pending.length >= MSE_MAX_PAD + HASH_LENGTH) throw new MseError('no-sync-hash', "no HASH('req1', S) within 512 bytes of padding after Ya");
        return waiting;
      }
      this.pending.skip(at + HASH_LENGTH);
      this.stage = 'skey';
    }
    if (this.stage === 'skey') {
      if (this.pending.length < HASH_LENGTH) return waiting;
      this.identifyTorrent(this.pending.take(HASH_LENGTH));
      this.stage = 'provide';
    }
    if (this.stage === 'provide') {
      if (this.pending.length < 14) return waiting;
      const fields = this.decrypted(14);
      if (!fields.subarray(0, 8).equals(MSE_VC)) throw new MseError('bad-vc', 'the decrypted VC is not 8 zero bytes');
      const provided = fields.readUInt32BE(8);
      this.padCLength = fields.readUInt16BE(12);
      if (this.padCLength > MSE_MAX_PAD) throw new MseError('bad-length', `len(PadC) ${this.padCLength} is over 512`);
      this.method = this.options.select(provided);
      if (!this.method) throw new MseError('no-common-method', `the peer provides crypto methods ${provided}, none allowed here`);
      this.stage = 'pad-c';
    }
    if (this.stage === 'pad-c') {
      if (this.pending.length < this.padCLength + 2) return waiting;
      this.initialPayloadLength = this.decrypted(this.padCLength + 2).readUInt16BE(this.padCLength);
      if (this.initialPayloadLength > this.maxInitialPayload) {
        throw new MseError('bad-length', `len(IA) ${this.initialPayloadLength} is over the limit of ${this.maxInitialPayload}`);
      }
      this.stage = 'ia';
    }
    if (this.pending.length < this.initialPayloadLength) return waiting;
    return this.finish(send);
  }

  /** Finds SKEY from HASH('req2', SKEY) xor HASH('req3', S), then sets up both keystreams. */
  private identifyTorrent(obfuscated: Buffer): void {
    const secret = this.secret as Buffer;
    const infoHash = this.options.findSecretKey(xor(obfuscated, mseHash('req3', secret)));
    if (!infoHash) throw new MseError('unknown-torrent', 'the obfuscated info hash names no torrent served here');
    this.infoHash = Buffer.from(infoHash);
    const { fromInitiator, fromResponder } = streamCiphers(secret, this.infoHash);
    this.decrypt = fromInitiator;
    this.encrypt = fromResponder;
  }

  /** Step 4: ENCRYPT(VC, crypto_select, len(PadD), PadD); then the payload stream. */
  private finish(sendBefore: Buffer | undefined): MseProgress {
    const initialPayload = this.decrypted(this.initialPayloadLength);
    const method = this.method as CryptoMethodName;
    const padD = Buffer.alloc(padLengthFrom(this.options, this.random));
    const answer = Buffer.concat([MSE_VC, uint32(CryptoMethod[method]), uint16(padD.length), padD]);
    this.encrypt?.xorInPlace(answer);
    this.stage = 'done';
    const remainder = this.pending.takeAll();
    const rc4 = method === 'rc4';
    if (rc4) this.decrypt?.xorInPlace(remainder);
    const send = sendBefore ? Buffer.concat([sendBefore, answer]) : answer;
    return done(
      {
        method,
        cipher: rc4 ? { encrypt: this.encrypt as Rc4, decrypt: this.decrypt as Rc4 } : undefined,
        infoHash: this.infoHash as Buffer,
        initialPayload,
        remainder,
      },
      send,
    );
  }

  private decrypted(count: number): Buffer {
    const bytes = this.pending.take(count);
    this.decrypt?.xorInPlace(bytes);
    return bytes;
  }
}

/** findSecretKey over a set of info hashes (v1 ones and truncated v2 ones): HASH('req2', SKEY) → SKEY. */
export function secretKeyIndex(infoHashes: Iterable<Uint8Array>): (req2Hash: Buffer) => Buffer | undefined {
  const byHash = new Map<string, Buffer>();
  for (const infoHash of infoHashes) {
    const key = Buffer.from(infoHash.subarray(0, 20));
    byHash.set(mseHash('req2', key).toString('hex'), key);
  }
  return (req2Hash) => byHash.get(req2Hash.toString('hex'));
}
