import fc from 'fast-check';
import { publicKey, sharedSecret, streamCiphers } from './dh';
import { MseInitiator } from './initiator';
import { MseError } from './mse-error';
import type { MseProgress } from './mse-result';
import { MseResponder, secretKeyIndex } from './responder';

const infoHash = Buffer.alloc(20, 0x11);
const MAX_IA = 100;
/** Most a responder may take in before it must have finished or failed: Ya, PadA, the two hashes, VC..len(PadC), PadC, len(IA), IA. */
const RESPONDER_BOUND = 96 + 512 + 20 + 20 + 14 + 512 + 2 + MAX_IA;
/** Most an initiator may take in: Yb, PadB, VC, crypto_select, len(PadD), PadD. */
const INITIATOR_BOUND = 96 + 512 + 8 + 6 + 512;

const newResponder = (): MseResponder =>
  new MseResponder({ findSecretKey: secretKeyIndex([infoHash]), select: (provided) => (provided & 2 ? 'rc4' : provided & 1 ? 'plaintext' : undefined), maxInitialPayload: MAX_IA });

type Outcome = 'done' | 'waiting' | MseError;

/** Feeds chunks; returns how it ended and how many bytes it had taken by then. Anything but MseError fails the test. */
function feed(side: { receive(chunk: Buffer): MseProgress }, chunks: Buffer[]): { outcome: Outcome; taken: number } {
  let taken = 0;
  for (const chunk of chunks) {
    taken += chunk.length;
    try {
      if (side.receive(chunk).result) return { outcome: 'done', taken };
    } catch (error) {
      if (!(error instanceof MseError)) throw error;
      return { outcome: error, taken };
    }
  }
  return { outcome: 'waiting', taken };
}

const chunked = (maxTotal: number) =>
  fc.array(fc.uint8Array({ minLength: 1, maxLength: 700 }).map((array) => Buffer.from(array)), { maxLength: Math.ceil(maxTotal / 100) });

describe('MSE parsers under arbitrary bytes', () => {
  it('a responder fed garbage fails with MseError before the sync window is exhausted', () => {
    fc.assert(
      fc.property(chunked(3000), (chunks) => {
        const { outcome, taken } = feed(newResponder(), chunks);
        if (outcome instanceof MseError) {
          expect(['no-sync-hash', 'bad-public-key']).toContain(outcome.reason);
          // Failing at the latest in the chunk that crossed 96 + 532 bytes.
          expect(taken - chunks[chunks.length - 1].length).toBeLessThan(96 + 532);
        } else {
          expect(outcome).toBe('waiting');
          expect(taken).toBeLessThan(96 + 532);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('an initiator fed garbage fails with MseError before the VC window is exhausted', () => {
    fc.assert(
      fc.property(chunked(3000), (chunks) => {
        const initiator = new MseInitiator({ infoHash, provide: 3 });
        initiator.start();
        const { outcome, taken } = feed(initiator, chunks);
        if (outcome === 'waiting') expect(taken).toBeLessThan(96 + 520);
        else expect(outcome).toBeInstanceOf(MseError);
      }),
      { numRuns: 200 },
    );
  });

  it('a mutated valid exchange (right keys, hostile fields) ends within the spec bounds, with a result or an MseError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 512 }),
        (mutations, chunkSize, pad) => {
          const initiator = new MseInitiator({ infoHash, provide: 3, initialPayload: Buffer.alloc(68, 1), padLength: () => pad });
          const responder = newResponder();
          const ya = initiator.start();
          const yb = responder.receive(ya.subarray(0, 96)).send as Buffer;
          const step3 = Buffer.concat([ya.subarray(96), initiator.receive(yb).send as Buffer, Buffer.alloc(2000, 9)]);
          // Mutate only after the sync hash so the bytes stay encrypted fields with hostile values.
          for (const { at, value } of mutations) step3[pad + 20 + (at % (step3.length - pad - 20))] = value;
          const chunks: Buffer[] = [];
          for (let at = 0; at < step3.length; at += chunkSize) chunks.push(step3.subarray(at, at + chunkSize));
          const { outcome, taken } = feed(responder, chunks);
          expect(outcome).not.toBe('waiting');
          expect(taken - chunkSize).toBeLessThan(RESPONDER_BOUND);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an initiator facing a hostile responder (huge PadD, unknown method) ends within the bounds', () => {
    const xb = Buffer.alloc(20, 5);
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 500, max: 530 })), fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(1, 2)), fc.integer({ min: 0, max: 0xffffffff }), (padD, select, vcTail) => {
        const initiator = new MseInitiator({ infoHash, provide: 3, padLength: () => 0 });
        const ya = initiator.start();
        initiator.receive(publicKey(xb));
        // Step 4 forged with the real keyB stream: a VC (sometimes wrong), then hostile fields.
        const forged = Buffer.alloc(14 + 600);
        forged.writeUInt32BE(vcTail % 4 === 0 ? 0 : vcTail, 4);
        forged.writeUInt32BE(select, 8);
        forged.writeUInt16BE(padD, 12);
        streamCiphers(sharedSecret(xb, ya.subarray(0, 96)), infoHash).fromResponder.xorInPlace(forged);
        const { outcome, taken } = feed(initiator, [forged.subarray(0, 300), forged.subarray(300)]);
        expect(taken).toBeLessThanOrEqual(INITIATOR_BOUND);
        const valid = vcTail % 4 === 0 && (select === 1 || select === 2) && padD <= 512;
        if (valid) expect(outcome).toBe('done');
        else expect(outcome).toBeInstanceOf(MseError);
      }),
      { numRuns: 300 },
    );
  });
});
