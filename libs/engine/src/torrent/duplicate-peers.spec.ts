import type { Socket } from 'node:net';
import { connectPeer } from '../net/handshake-exchange';
import { Session } from '../session/session';
import { makeTestTorrent } from '../testing';
import type { Torrent } from './torrent';

// A client that dials us twice with one peer id (libtorrent dials a hybrid torrent's peer once per info hash
// it announced): both ends must keep the same connection, by libtorrent's rule, or the pair loses both.

jest.setTimeout(30_000);

const OUR_ID = Buffer.alloc(20, 0x80);
let session: Session | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await session?.close();
  session = undefined;
});

async function dialTwice(remoteId: Buffer): Promise<{ first: Socket; second: Socket; peers: () => number; seeding: Torrent }> {
  const torrent = await makeTestTorrent({ size: 256 * 1024, pieceLength: 16 * 1024, seed: 'duplicate' });
  session = new Session({ host: '127.0.0.1', peerId: OUR_ID, encryption: 'off' });
  const { port } = await session.listen();
  const seeding = await session.add({ metainfo: torrent.metainfo, store: torrent.seederStore(), seedOnly: true });
  await seeding.whenComplete();
  const dial = async (): Promise<Socket> => {
    const outcome = await connectPeer({ host: '127.0.0.1', port, infoHash: torrent.metainfo.infoHashV1!, peerId: remoteId, flags: { fastExtension: true, extensionProtocol: true }, encryption: 'off' });
    if (!outcome.ok) throw new Error(`dial failed: ${outcome.reason.message}`);
    const { socket } = outcome.value;
    socket.resume();
    sockets.push(socket);
    return socket;
  };
  const first = await dial();
  await peerCount(seeding, 1);
  const second = await dial();
  return { first, second, peers: () => seeding.progress().peers, seeding };
}

/** Resolves once the torrent has `count` peers, checked on each of its 'peer' events. */
function peerCount(torrent: Torrent, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (torrent.progress().peers !== count) return;
      torrent.off('peer', check);
      resolve();
    };
    torrent.on('peer', check);
    check();
  });
}

const closed = (socket: Socket): Promise<void> => (socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve())));

it('a dialer with a lower peer id than ours keeps its first connection, and so do we', async () => {
  const { first, second, peers } = await dialTwice(Buffer.alloc(20, 0x01));
  await closed(second);
  expect(first.closed).toBe(false);
  expect(peers()).toBe(1);
});

it('a dialer with a greater peer id than ours keeps its newest connection, and so do we', async () => {
  const { first, second, seeding } = await dialTwice(Buffer.alloc(20, 0xfe));
  await closed(first);
  await peerCount(seeding, 1);
  expect(second.closed).toBe(false);
});
