import { randomBytes } from 'node:crypto';
import { CryptoMethod } from './crypto-method';
import { MSE_KEY_LENGTH, mseHash, obfuscatedInfoHash, publicKey, type RandomSource, sharedSecret, streamCiphers } from './dh';
import { MseError } from './mse-error';
import { done, MSE_MAX_PAD, MSE_VC, type MseCommonOptions, type MseProgress, NOTHING, padLengthFrom, privateKeyFrom, uint16, uint32 } from './mse-result';
import { PendingBytes } from './pending-bytes';
import type { Rc4 } from './rc4';

export interface MseInitiatorOptions extends MseCommonOptions {
  /** SKEY: the torrent's info hash as sent on the wire (20 bytes, a v2 one truncated). */
  readonly infoHash: Uint8Array;
  /** crypto_provide bits (CryptoMethod); see cryptoProvide(policy). */
  readonly provide: number;
  /** IA: sent encrypted with the handshake (our BitTorrent handshake); at most 65535 bytes. */
  readonly initialPayload?: Uint8Array;
}

const PROTOCOL_PREFIX = Buffer.from('\x13BitTorrent protocol', 'latin1');

type Stage = 'await-yb' | 'sync-vc' | 'select' | 'pad-d' | 'done';

/**
 * The dialing side of MSE as a state machine without I/O: `start()` gives Ya + PadA, `receive()` takes
 * the peer's bytes and answers with bytes to send and, at the end, the negotiated stream.
 * Throws only MseError.
 */
export class MseInitiator {
  private readonly random: RandomSource;
  private readonly privateKey: Buffer;
  private readonly infoHash: Buffer;
  private readonly pending = new PendingBytes();
  private stage: Stage = 'await-yb';
  private started = false;
  private encrypt: Rc4 | undefined;
  private decrypt: Rc4 | undefined;
  private encryptedVc: Buffer | undefined;
  private selected = 0;
  private padDLength = 0;

  constructor(private readonly options: MseInitiatorOptions) {
    this.random = options.random ?? randomBytes;
    if (options.infoHash.length !== 20) throw new MseError('bad-argument', `SKEY is a 20-byte info hash, got ${options.infoHash.length} bytes`);
    if ((options.initialPayload?.length ?? 0) > 0xffff) throw new MseError('bad-argument', 'the initial payload is over 65535 bytes');
    if ((options.provide & (CryptoMethod.plaintext | CryptoMethod.rc4)) === 0) throw new MseError('bad-argument', `crypto_provide ${options.provide} offers no method`);
    this.infoHash = Buffer.from(options.infoHash);
    this.privateKey = privateKeyFrom(this.random);
  }

  /** Ya followed by PadA: the first bytes on the connection. */
  start(): Buffer {
    if (this.started) throw new MseError('bad-argument', 'start() was called twice');
    this.started = true;
    return Buffer.concat([publicKey(this.privateKey), this.random(padLengthFrom(this.options, this.random))]);
  }

  receive(chunk: Uint8Array): MseProgress {
    if (!this.started || this.stage === 'done') throw new MseError('bad-argument', `receive() while ${this.started ? 'done' : 'not started'}`);
    this.pending.append(chunk);
    let send: Buffer | undefined;
    if (this.stage === 'await-yb') {
      // A plaintext-only peer that answers anything with its handshake: say so at once (the caller
      // retries in plaintext) instead of waiting for a VC that never comes. A real Yb starts like this
      // with probability 2^-160.
      if (this.pending.length >= PROTOCOL_PREFIX.length && this.pending.indexOf(PROTOCOL_PREFIX, PROTOCOL_PREFIX.length) === 0) {
        throw new MseError('plaintext-peer', 'the peer answered with a plaintext BitTorrent handshake');
      }
      if (this.pending.length < MSE_KEY_LENGTH) return NOTHING;
      send = this.answerYb(this.pending.take(MSE_KEY_LENGTH));
    }
    if (this.stage === 'sync-vc') {
      // PadB (up to 512 bytes) then ENCRYPT(VC): the VC must start within the first 513 bytes.
      const at = this.pending.indexOf(this.encryptedVc as Buffer, MSE_MAX_PAD + MSE_VC.length);
      if (at < 0) {
        if (this.pending.length >= MSE_MAX_PAD + MSE_VC.length) throw new MseError('no-sync-vc', 'no encrypted VC within 512 bytes of padding after Yb');
        return { send, result: undefined };
      }
      this.pending.skip(at + MSE_VC.length);
      this.stage = 'select';
    }
    if (this.stage === 'select') {
      if (this.pending.length < 6) return { send, result: undefined };
      const fields = this.decrypted(6);
      this.selected = fields.readUInt32BE(0);
      this.padDLength = fields.readUInt16BE(4);
      if (this.padDLength > MSE_MAX_PAD) throw new MseError('bad-length', `len(PadD) ${this.padDLength} is over 512`);
      if ((this.selected !== CryptoMethod.plaintext && this.selected !== CryptoMethod.rc4) || (this.selected & this.options.provide) === 0) {
        throw new MseError('no-common-method', `the peer selected crypto method ${this.selected}, we offered ${this.options.provide}`);
      }
      this.stage = 'pad-d';
    }
    if (this.pending.length < this.padDLength) return { send, result: undefined };
    this.decrypted(this.padDLength);
    this.stage = 'done';
    const rc4 = this.selected === CryptoMethod.rc4;
    const remainder = this.pending.takeAll();
    if (rc4) this.decrypt?.xorInPlace(remainder);
    return done(
      {
        method: rc4 ? 'rc4' : 'plaintext',
        cipher: rc4 ? { encrypt: this.encrypt as Rc4, decrypt: this.decrypt as Rc4 } : undefined,
        infoHash: this.infoHash,
        initialPayload: Buffer.alloc(0),
        remainder,
      },
      send,
    );
  }

  /** Step 3: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S), ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA), IA). */
  private answerYb(yb: Buffer): Buffer {
    const secret = sharedSecret(this.privateKey, yb);
    const { fromInitiator, fromResponder } = streamCiphers(secret, this.infoHash);
    this.encrypt = fromInitiator;
    this.decrypt = fromResponder;
    this.encryptedVc = Buffer.from(MSE_VC);
    fromResponder.xorInPlace(this.encryptedVc);
    const initialPayload = this.options.initialPayload ?? new Uint8Array(0);
    const padC = Buffer.alloc(padLengthFrom(this.options, this.random));
    const encrypted = Buffer.concat([MSE_VC, uint32(this.options.provide), uint16(padC.length), padC, uint16(initialPayload.length), initialPayload]);
    fromInitiator.xorInPlace(encrypted);
    this.stage = 'sync-vc';
    return Buffer.concat([mseHash('req1', secret), obfuscatedInfoHash(this.infoHash, secret), encrypted]);
  }

  private decrypted(count: number): Buffer {
    const bytes = this.pending.take(count);
    this.decrypt?.xorInPlace(bytes);
    return bytes;
  }
}
