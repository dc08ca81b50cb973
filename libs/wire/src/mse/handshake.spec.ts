import { randomBytes } from 'node:crypto';
import { createServer, connect, type Socket } from 'node:net';
import { type CryptoMethodName, cryptoProvide, type EncryptionPolicy, selectCryptoMethod } from './crypto-method';
import { MseInitiator } from './initiator';
import { MseError } from './mse-error';
import type { MseProgress, MseResult } from './mse-result';
import { MseResponder, secretKeyIndex } from './responder';

const infoHash = Buffer.alloc(20, 0x11);
const otherHash = Buffer.alloc(20, 0x22);
const bitTorrentHandshake = Buffer.concat([Buffer.from('\x13BitTorrent protocol'), Buffer.alloc(48, 7)]);

/** Runs one side of MSE over a socket; resolves with the result once complete. */
function drive(socket: Socket, side: { receive(chunk: Buffer): MseProgress }, first?: Buffer): Promise<MseResult> {
  if (first) socket.write(first);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      try {
        const { send, result } = side.receive(chunk);
        if (send) socket.write(send);
        if (result) {
          socket.off('data', onData);
          resolve(result);
        }
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on('data', onData);
  });
}

async function socketPair(): Promise<[Socket, Socket, () => void]> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const { port } = server.address() as { port: number };
  const dialed = connect(port, '127.0.0.1');
  const other = await accepted;
  return [dialed, other, () => (dialed.destroy(), other.destroy(), server.close())];
}

function responder(policy: EncryptionPolicy, padLength?: () => number): MseResponder {
  return new MseResponder({ findSecretKey: secretKeyIndex([otherHash, infoHash]), select: (provided) => selectCryptoMethod(policy, provided), padLength });
}

describe('MSE handshake over TCP', () => {
  it.each<[EncryptionPolicy, EncryptionPolicy, CryptoMethodName]>([
    ['prefer', 'prefer', 'plaintext'],
    ['require', 'prefer', 'rc4'],
    ['prefer', 'require', 'rc4'],
    ['require', 'require', 'rc4'],
  ])('initiator %s, responder %s: agree on %s, carry IA and the payload stream both ways', async (ours, theirs, method) => {
    const [dialed, accepted, close] = await socketPair();
    try {
      const initiator = new MseInitiator({ infoHash, provide: cryptoProvide(ours), initialPayload: bitTorrentHandshake });
      const [a, b] = await Promise.all([drive(dialed, initiator, initiator.start()), drive(accepted, responder(theirs))]);
      expect([a.method, b.method]).toEqual([method, method]);
      expect(b.infoHash.equals(infoHash)).toBe(true);
      expect(b.initialPayload.equals(bitTorrentHandshake)).toBe(true);
      expect([a.remainder.length, b.remainder.length]).toEqual([0, 0]);
      // 1 MiB each way through the negotiated stream.
      const payload = randomBytes(1 << 20);
      const send = (socket: Socket, result: MseResult): void => {
        const out = Buffer.from(payload);
        result.cipher?.encrypt.xorInPlace(out);
        socket.write(out);
      };
      const receive = (socket: Socket, result: MseResult): Promise<Buffer> =>
        new Promise((resolve) => {
          const chunks: Buffer[] = [];
          let length = 0;
          socket.on('data', (chunk: Buffer) => {
            result.cipher?.decrypt.xorInPlace(chunk);
            chunks.push(chunk);
            length += chunk.length;
            if (length >= payload.length) resolve(Buffer.concat(chunks));
          });
        });
      const [atB, atA] = [receive(accepted, b), receive(dialed, a)];
      send(dialed, a);
      send(accepted, b);
      expect((await atB).equals(payload)).toBe(true);
      expect((await atA).equals(payload)).toBe(true);
    } finally {
      close();
    }
  });

  it('refuses when the policies share no method, and an unknown torrent', async () => {
    const plaintextOnly = new MseInitiator({ infoHash, provide: 0x01, padLength: () => 0 });
    const strict = responder('require');
    expect(() => feedAll(plaintextOnly, strict)).toThrow(expect.objectContaining({ reason: 'no-common-method' }));
    const stranger = new MseInitiator({ infoHash: Buffer.alloc(20, 0x33), provide: 0x03 });
    expect(() => feedAll(stranger, responder('prefer'))).toThrow(expect.objectContaining({ reason: 'unknown-torrent' }));
  });
});

/** Both sides in memory, each message delivered byte by byte; returns both results. */
function feedAll(initiator: MseInitiator, peer: MseResponder): [MseResult, MseResult] {
  let toB: Buffer = initiator.start();
  let toA: Buffer = Buffer.alloc(0);
  let a: MseResult | undefined;
  let b: MseResult | undefined;
  for (let round = 0; round < 10 && !(a && b); round++) {
    for (const byte of toB) {
      const progress = peer.receive(Buffer.of(byte));
      if (progress.send) toA = Buffer.concat([toA, progress.send]);
      b ??= progress.result;
      if (b) break;
    }
    toB = Buffer.alloc(0);
    for (let at = 0; at < toA.length && !a; at++) {
      const progress = initiator.receive(toA.subarray(at, at + 1));
      if (progress.send) toB = Buffer.concat([toB, progress.send]);
      a = progress.result;
    }
    toA = Buffer.alloc(0);
  }
  if (!a || !b) throw new Error('the handshake did not complete');
  return [a, b];
}

describe('MSE handshake state machines', () => {
  it.each([0, 1, 511, 512])('synchronise with every pad length at %i bytes, delivered byte by byte', (pad) => {
    const initiator = new MseInitiator({ infoHash, provide: 0x02, initialPayload: bitTorrentHandshake, padLength: () => pad });
    const [a, b] = feedAll(initiator, responder('prefer', () => pad));
    expect([a.method, b.method, b.initialPayload.equals(bitTorrentHandshake)]).toEqual(['rc4', 'rc4', true]);
  });

  it('hands back bytes that arrive with the end of the handshake as the decrypted remainder', () => {
    const initiator = new MseInitiator({ infoHash, provide: 0x02, padLength: () => 3 });
    const peer = responder('require', () => 3);
    const ya = initiator.start();
    const yb = peer.receive(ya).send as Buffer;
    const step3 = initiator.receive(yb).send as Buffer;
    // The initiator's first payload bytes, encrypted right after step 3 (as a real stream would be).
    const afterwards = Buffer.from('interested');
    const { result: atB, send: step4 } = peer.receive(step3);
    expect(atB?.remainder.length).toBe(0);
    const fromB = Buffer.from('bitfield!');
    atB?.cipher?.encrypt.xorInPlace(fromB);
    const { result: atA } = initiator.receive(Buffer.concat([step4 as Buffer, fromB]));
    expect(atA?.remainder.toString()).toBe('bitfield!');
    const encrypted = Buffer.from(afterwards);
    atA?.cipher?.encrypt.xorInPlace(encrypted);
    atB?.cipher?.decrypt.xorInPlace(encrypted);
    expect(encrypted.toString()).toBe('interested');
  });

  it('is deterministic with an injected random source', () => {
    const counter = (): ((length: number) => Buffer) => {
      let next = 1;
      return (length) => Buffer.from(Array.from({ length }, () => next++ & 0xff));
    };
    const run = (): string => new MseInitiator({ infoHash, provide: 0x03, random: counter() }).start().toString('hex');
    expect(run()).toBe(run());
  });

  it('tells a plaintext-only peer that answered with its handshake from its first 20 bytes', () => {
    const initiator = new MseInitiator({ infoHash, provide: 3 });
    initiator.start();
    expect(initiator.receive(bitTorrentHandshake.subarray(0, 19))).toEqual({ send: undefined, result: undefined });
    expect(() => initiator.receive(bitTorrentHandshake.subarray(19))).toThrow(expect.objectContaining({ reason: 'plaintext-peer' }));
  });

  it('refuses misuse with MseError', () => {
    expect(() => new MseInitiator({ infoHash: Buffer.alloc(19), provide: 3 })).toThrow(MseError);
    expect(() => new MseInitiator({ infoHash, provide: 4 })).toThrow(MseError);
    expect(() => new MseInitiator({ infoHash, provide: 3, initialPayload: Buffer.alloc(70_000) })).toThrow(MseError);
    const initiator = new MseInitiator({ infoHash, provide: 3 });
    expect(() => initiator.receive(Buffer.alloc(1))).toThrow(MseError);
    initiator.start();
    expect(() => initiator.start()).toThrow(MseError);
  });
});
