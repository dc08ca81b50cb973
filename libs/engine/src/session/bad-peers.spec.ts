import { createServer, type Server, type Socket } from 'node:net';
import { encodeHandshake } from '@seedfleet/wire';
import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, seededBytes, startSwarm, storeContent, type SwarmHarness, type TestTorrent } from '../testing';
import type { PeerEvent } from '../torrent';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
const servers: Server[] = [];
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
  for (const server of servers.splice(0)) server.close();
});

/** A TCP peer that answers the handshake correctly and then sends `garbage`. */
async function garbagePeer(torrent: TestTorrent, garbage: Buffer, name = 'garbagepeer1'): Promise<number> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(encodeHandshake({ flags: {}, infoHash: torrent.metainfo.infoHashV1!, peerId: Buffer.from(`-XX0001-${name}`.padEnd(20, '0').slice(0, 20), 'latin1') }));
      socket.write(garbage);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A peer that has every piece, unchokes, and never answers a request. */
async function silentSeed(torrent: TestTorrent): Promise<number> {
  const pieceCount = torrent.metainfo.pieceCount;
  const bitfield = Buffer.alloc(Math.ceil(pieceCount / 8), 0);
  for (let index = 0; index < pieceCount; index++) bitfield[index >> 3] |= 0x80 >> (index & 7);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(1 + bitfield.length);
  return garbagePeer(torrent, Buffer.concat([length, Buffer.from([5]), bitfield, Buffer.from([0, 0, 0, 1, 1])]));
}

/** Short frames (length 0-13) cut out of random bytes: keep-alives and messages with random ids and payloads. */
function randomFrames(random: Buffer): Buffer {
  const frames: Buffer[] = [];
  for (let at = 0; at < random.length; ) {
    const length = Math.min(random[at] % 14, random.length - at - 1);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(length);
    frames.push(header, random.subarray(at + 1, at + 1 + length));
    at += 1 + length;
  }
  return Buffer.concat(frames);
}

function disconnections(events: PeerEvent[], port: number): PeerEvent[] {
  return events.filter((event) => event.type === 'disconnected' && event.address.endsWith(`:${port}`));
}

it('bans a seeder whose data fails the hash check and completes from the honest one', async () => {
  const torrent = await makeTestTorrent({ size: 2 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'liar' });
  const liarStore = torrent.seederStore();
  for (let index = 0; index < torrent.metainfo.pieceCount; index++) liarStore.corrupt(index);
  // The liar first, so it is the leecher's first peer and gets requests.
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  const liar = await swarm.addLeecher({ store: liarStore, seedOnly: true });
  swarm.leechers.splice(0);
  const honest = await swarm.addLeecher({ store: torrent.seederStore(), seedOnly: true });
  swarm.leechers.splice(0);
  const leecher = await swarm.addLeecher();
  const events: PeerEvent[] = [];
  leecher.torrent.on('peer', (event) => events.push(event));

  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  expect(disconnections(events, liar.port).map((event) => event.reason)).toEqual([expect.stringMatching(/^banned: /)]);
  expect(disconnections(events, honest.port).filter((event) => event.reason?.startsWith('banned'))).toEqual([]);
});

it.each([
  ['an oversized length prefix', Buffer.from([0xff, 0xff, 0xff, 0xff, 7]), /^message-too-large: /],
  ['a bitfield of the wrong length', Buffer.from([0, 0, 0, 4, 5, 0xff, 0xff, 0xff]), /^protocol: /],
  ['a have-none without the fast extension bit', Buffer.from([0, 0, 0, 1, 15]), /^protocol: /],
  ['a request for a piece outside the torrent', Buffer.from([0, 0, 0, 13, 6, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 64, 0]), /^protocol: /],
])('disconnects a peer sending %s and still completes', async (_name, garbage, reason) => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'garbage' });
  const port = await garbagePeer(torrent, garbage);
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const leecher = await swarm.addLeecher();
  const events: PeerEvent[] = [];
  leecher.torrent.on('peer', (event) => events.push(event));
  leecher.torrent.addPeer({ host: '127.0.0.1', port });
  await swarm.allComplete(30_000);
  await waitFor(() => disconnections(events, port).length > 0);
  expect(disconnections(events, port)[0].reason).toMatch(reason);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
});

it('twelve peers sending random bytes after the handshake never break the download', async () => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'fuzz' });
  const ports: number[] = [];
  for (let peer = 0; peer < 12; peer++) {
    const random = seededBytes(8 + ((peer * 37) % 300), `fuzz-${peer}`);
    // Half send raw noise, half well-framed messages of random ids and contents, so the noise also gets
    // past the framer into the message decoders and the torrent's handlers.
    ports.push(await garbagePeer(torrent, peer % 2 === 0 ? random : randomFrames(random), `fuzz${String(peer).padStart(4, "0")}`));
  }
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  const leecher = await swarm.addLeecher();
  const events: PeerEvent[] = [];
  leecher.torrent.on('peer', (event) => events.push(event));
  for (const port of ports) leecher.torrent.addPeer({ host: '127.0.0.1', port });
  // Every garbage peer gets through the handshake and has its bytes read before the real seeder comes.
  await waitFor(() => ports.every((port) => events.some((event) => event.type === 'connected' && event.address.endsWith(`:${port}`))));
  const seeder = await swarm.addLeecher({ store: torrent.seederStore(), seedOnly: true });
  swarm.leechers.splice(1);
  leecher.torrent.addPeer({ host: '127.0.0.1', port: seeder.port });
  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  const reasons = events.filter((event) => event.type === 'disconnected').map((event) => event.reason ?? '');
  expect(reasons.some((reason) => reason.startsWith('internal'))).toBe(false);
  // Most are cut off for what they sent (a few random streams are valid messages so far).
  expect(reasons.filter((reason) => /^(protocol|message-too-large): /.test(reason)).length).toBeGreaterThanOrEqual(6);
});

it('a peer that unchokes and never answers does not stall the download', async () => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'silent' });
  const port = await silentSeed(torrent);
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  // The silent peer first, so the leecher's first requests go to it.
  const leecher = await swarm.addLeecher({ peers: [{ host: '127.0.0.1', port }] });
  const connected = new Promise<void>((resolve) => leecher.torrent.on('peer', (event) => event.type === 'connected' && resolve()));
  await connected;
  const honest = await swarm.addLeecher({ store: torrent.seederStore(), seedOnly: true });
  swarm.leechers.splice(1);
  leecher.torrent.addPeer({ host: '127.0.0.1', port: honest.port });
  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
