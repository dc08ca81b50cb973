import { createServer, type Server, type Socket } from 'node:net';
import { encodeHandshake, encodeMessage, Framer, type Message } from '@seedfleet/wire';
import { makeTestTorrent } from '../testing';
import { Session } from './session';

jest.setTimeout(30_000);

let server: Server | undefined;
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  server?.close();
  session = server = undefined;
});

/** A seed that has everything, unchokes, records what it receives and never sends a block. */
async function silentSeed(infoHash: Buffer): Promise<{ port: number; received: Message[]; until: (test: () => boolean) => Promise<void> }> {
  const received: Message[] = [];
  const waiters = new Set<() => void>();
  server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    const framer = new Framer({ maxMessageLength: 1024 * 1024 });
    let handshaken = false;
    socket.on('data', (chunk: Buffer) => {
      if (!handshaken) {
        handshaken = true;
        socket.write(encodeHandshake({ flags: { fastExtension: true }, infoHash, peerId: Buffer.from('-XX0001-silentseed01', 'latin1') }));
        socket.write(Buffer.concat([encodeMessage({ type: 'have-all' }), encodeMessage({ type: 'unchoke' })]));
        chunk = chunk.subarray(68);
      }
      received.push(...framer.feed(chunk));
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const until = (test: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (!test()) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { port: (server.address() as { port: number }).port, received, until };
}

it('requests a silent peer does not answer time out: cancelled, and the peer then gets one request at a time (snubbed)', async () => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'timeouts' });
  const seed = await silentSeed(torrent.metainfo.infoHashV1!);
  let skew = 0;
  // The fake seed speaks plaintext only and would choke on MSE's first bytes.
  session = new Session({ host: '127.0.0.1', encryption: 'off', clock: () => performance.now() + skew });
  await session.listen();
  await session.add({ metainfo: torrent.metainfo, store: torrent.emptyStore(), peers: [{ host: '127.0.0.1', port: seed.port }] });
  const count = (type: Message['type']): number => seed.received.filter((message) => message.type === type).length;
  // An unmeasured peer gets the minimum pipeline (4) and at most the 60 s ceiling to answer.
  await seed.until(() => count('request') >= 4);
  expect(count('request')).toBe(4);
  expect(count('cancel')).toBe(0);
  skew += 61_000;
  await seed.until(() => count('cancel') >= 4);
  const cancelled = seed.received.filter((message) => message.type === 'cancel');
  const first = seed.received.filter((message) => message.type === 'request').slice(0, 4);
  expect(cancelled.map((message) => JSON.stringify(message).replace('cancel', 'request'))).toEqual(first.map((message) => JSON.stringify(message)));
  // Snubbed now: re-requested one block at a time.
  await seed.until(() => count('request') >= 5);
  expect(count('request')).toBe(5);
});
