import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import type DHT from 'bittorrent-dht';
import { HashPool } from '@seedfleet/hashing';
import { createTorrent, type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { encodeHandshake, encodeMessage, Framer, HANDSHAKE_LENGTH, type Message, parseHandshake } from '@seedfleet/wire';
import type { DhtRound } from '../discovery/dht/dht-discovery';
import { KrpcSocket } from '../discovery/dht/krpc-socket';
import { loadDht } from '../discovery/dht/load-dht';
import type { LsdGroup } from '../discovery/lsd/lsd-group';
import { EventLog } from '../discovery/testing/event-log';
import { loopbackTestGroup } from '../discovery/testing/test-groups';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, seededBytes, storeContent } from '../testing';
import { Session } from './session';
import type { SessionOptions } from './session-options';

jest.setTimeout(60_000);

const open: { close(): Promise<void> | void }[] = [];
let hashPool: HashPool;
beforeAll(() => {
  hashPool = new HashPool({ size: 1 });
});
afterAll(() => hashPool.close());
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

async function startSession(options: SessionOptions): Promise<Session> {
  const session = new Session({ host: '127.0.0.1', port: 0, hashPool, ...options });
  open.push(session);
  await session.listen();
  return session;
}

/** A bittorrent-dht node on 127.0.0.1 that bootstraps from nobody and records the queries it gets. */
async function startBootstrapNode(): Promise<{ node: DHT; address: string; port: number; queried: EventLog<{ query: string; infoHash: string }> }> {
  const DhtNode = await loadDht();
  const node = new DhtNode({ bootstrap: false, krpcSocket: new KrpcSocket(2000, () => undefined) });
  const queried = new EventLog<{ query: string; infoHash: string }>();
  node.on('get_peers', (infoHash: Buffer) => queried.push({ query: 'get_peers', infoHash: infoHash.toString('hex') }));
  node.on('announce_peer', (infoHash: Buffer) => queried.push({ query: 'announce_peer', infoHash: infoHash.toString('hex') }));
  await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
  open.push({ close: () => new Promise<void>((resolve) => node.destroy(() => resolve())) });
  const { port } = node.address();
  return { node, address: `127.0.0.1:${port}`, port, queried };
}

/** Every datagram sent to an LSD group (a plain member of the multicast group). */
async function listenToGroup(group: LsdGroup): Promise<EventLog<string>> {
  const heard = new EventLog<string>();
  const socket: UdpSocket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (datagram) => heard.push(datagram.toString('latin1')));
  await new Promise<void>((resolve) => socket.bind(group.port, group.address, resolve));
  socket.addMembership(group.address, group.interface);
  open.push({ close: () => new Promise<void>((resolve) => socket.close(() => resolve())) });
  return heard;
}

async function privateTorrent(): Promise<{ metainfo: Metainfo; content: Buffer }> {
  const content = seededBytes(256 * 1024, 'private-discovery');
  const created = await createTorrent([{ path: [], length: content.length, open: async function* () { yield content; } }], { name: 'private.bin', pieceLength: 64 * 1024, version: 'v1', private: true });
  return { metainfo: parseTorrent(created.torrent), content };
}

/** A raw peer: handshakes with the session for `infoHash` and collects the messages it sends. */
async function rawPeer(port: number, infoHash: Buffer, dht: boolean): Promise<{ socket: Socket; reserved: { dht: boolean }; messages: EventLog<Message> }> {
  const socket = connect({ host: '127.0.0.1', port });
  open.push({ close: () => void socket.destroy() });
  socket.write(encodeHandshake({ flags: { extensionProtocol: true, fastExtension: true, dht }, infoHash, peerId: Buffer.alloc(20, 0x41) }));
  const messages = new EventLog<Message>();
  const framer = new Framer({ maxMessageLength: 1 << 20, maxBlockLength: 1 << 17 });
  let received = Buffer.alloc(0);
  const reserved = await new Promise<{ dht: boolean }>((resolve, reject) => {
    let handshake: { dht: boolean } | undefined;
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      if (handshake === undefined) {
        received = Buffer.concat([received, chunk]);
        const parsed = parseHandshake(received);
        if (!parsed) return;
        handshake = { dht: parsed.flags.dht };
        resolve(handshake);
        chunk = received.subarray(HANDSHAKE_LENGTH);
      }
      for (const message of framer.feed(chunk)) messages.push(message);
    });
  });
  return { socket, reserved, messages };
}

describe('Session discovery', () => {
  it('two sessions find each other with LSD only (no tracker, no peer addresses) and complete', async () => {
    const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'lsd-only' });
    const group = loopbackTestGroup();
    const seeder = await startSession({ lsd: { groups: [group] } });
    await seeder.add({ metainfo: torrent.metainfo, store: torrent.seederStore(), seedOnly: true });
    const leecher = await startSession({ lsd: { groups: [group] } });
    const store = torrent.emptyStore();
    const downloading = await leecher.add({ metainfo: torrent.metainfo, store });
    await downloading.whenComplete();
    expect((await storeContent(store, torrent.metainfo)).equals(torrent.content)).toBe(true);
  });

  it('two sessions find each other through a local DHT bootstrap node only and complete', async () => {
    const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'dht-only' });
    const bootstrap = await startBootstrapNode();
    const rounds = new EventLog<DhtRound>();
    const seeder = await startSession({ dht: { bootstrap: [bootstrap.address], host: '127.0.0.1', onRound: rounds.push } });
    await seeder.add({ metainfo: torrent.metainfo, store: torrent.seederStore(), seedOnly: true });
    await rounds.waitFor((round) => round.announcedTo > 0, 'the seeder announced on the DHT', 20_000);
    expect(seeder.dhtPort).toBe(seeder.port); // BEP 5 convention: the UDP port is the listen port

    const leecher = await startSession({ dht: { bootstrap: [bootstrap.address], host: '127.0.0.1' } });
    const store = torrent.emptyStore();
    const downloading = await leecher.add({ metainfo: torrent.metainfo, store });
    await downloading.whenComplete();
    expect((await storeContent(store, torrent.metainfo)).equals(torrent.content)).toBe(true);
  });

  it('sets the DHT bit and sends PORT for public torrents, takes a peer’s PORT as a DHT contact, and never for private ones', async () => {
    const publicTorrent = await makeTestTorrent({ size: 256 * 1024, pieceLength: 64 * 1024, seed: 'port-public' });
    const secret = await privateTorrent();
    const session = await startSession({ dht: { bootstrap: [], host: '127.0.0.1' } });
    await session.add({ metainfo: publicTorrent.metainfo, store: publicTorrent.seederStore(), seedOnly: true });
    await session.add({ metainfo: secret.metainfo, store: new MemoryPieceStore(secret.metainfo, secret.content), seedOnly: true });
    await waitUntil(() => session.list().every((torrent) => torrent.state === 'seeding'));

    const onPublic = await rawPeer(session.port, publicTorrent.metainfo.infoHashV1!, true);
    expect(onPublic.reserved.dht).toBe(true);
    await expect(onPublic.messages.waitFor((message) => message.type === 'port', 'PORT from the session')).resolves.toEqual({ type: 'port', port: session.dhtPort });

    // A peer's PORT message: the session pings that node and keeps it.
    const [first, fromPrivate, last] = [await startBootstrapNode(), await startBootstrapNode(), await startBootstrapNode()];
    expect(session.dhtNodeCount).toBe(0);
    onPublic.socket.write(encodeMessage({ type: 'port', port: first.port }));
    await waitUntil(() => session.dhtNodeCount === 1);

    const onPrivate = await rawPeer(session.port, secret.metainfo.infoHashV1!, true);
    expect(onPrivate.reserved.dht).toBe(false);
    // PORT would be queued right behind have-all, in the same write.
    await onPrivate.messages.waitFor((message) => message.type === 'have-all', 'have-all from the private seeder');
    expect(onPrivate.messages.events.some((message) => message.type === 'port')).toBe(false);
    // A PORT on the private connection is ignored: the contact named after it on the public one is the second.
    onPrivate.socket.write(encodeMessage({ type: 'port', port: fromPrivate.port }));
    await onPrivate.messages.waitFor((message) => message.type === 'keep-alive' || message.type === 'have-all', 'still connected');
    onPublic.socket.write(encodeMessage({ type: 'port', port: last.port }));
    await waitUntil(() => session.dhtNodeCount === 2);
    expect(fromPrivate.queried.events).toEqual([]);
  });

  it('sends PORT on connections it dials to peers that set the DHT bit', async () => {
    const torrent = await makeTestTorrent({ size: 256 * 1024, pieceLength: 64 * 1024, seed: 'port-outgoing' });
    const infoHash = torrent.metainfo.infoHashV1!;
    const messages = new EventLog<Message>();
    const server = createServer((socket) => {
      let received = Buffer.alloc(0);
      let answered = false;
      const framer = new Framer({ maxMessageLength: 1 << 20, maxBlockLength: 1 << 17 });
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        if (!answered) {
          received = Buffer.concat([received, chunk]);
          // Not a plaintext handshake (an encrypted dial): refused, so the session dials again in plaintext.
          if (received[0] !== 19) return void socket.destroy();
          if (parseHandshake(received) === undefined) return;
          answered = true;
          socket.write(encodeHandshake({ flags: { extensionProtocol: true, fastExtension: true, dht: true }, infoHash, peerId: Buffer.alloc(20, 0x42) }));
          chunk = received.subarray(HANDSHAKE_LENGTH);
        }
        for (const message of framer.feed(chunk)) messages.push(message);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const session = await startSession({ dht: { bootstrap: [], host: '127.0.0.1' } });
    await session.add({ metainfo: torrent.metainfo, store: torrent.emptyStore(), peers: [{ host: '127.0.0.1', port: (server.address() as { port: number }).port }] });
    await expect(messages.waitFor((message) => message.type === 'port', 'PORT from the dialling session')).resolves.toEqual({ type: 'port', port: session.dhtPort });
  });

  it('a private torrent sends no DHT get_peers/announce_peer and no LSD announce; a public one beside it does', async () => {
    const publicTorrent = await makeTestTorrent({ size: 256 * 1024, pieceLength: 64 * 1024, seed: 'beside-private' });
    const secret = await privateTorrent();
    const publicHash = publicTorrent.metainfo.infoHashV1!.toString('hex');
    const privateHash = secret.metainfo.infoHashV1!.toString('hex');
    const bootstrap = await startBootstrapNode();
    const group = loopbackTestGroup();
    const heard = await listenToGroup(group);
    const rounds = new EventLog<DhtRound>();
    const session = await startSession({ dht: { bootstrap: [bootstrap.address], host: '127.0.0.1', onRound: rounds.push }, lsd: { groups: [group] } });
    // The private one first: had it been announced, its datagram and queries would come before the public one's.
    await session.add({ metainfo: secret.metainfo, store: new MemoryPieceStore(secret.metainfo, secret.content), seedOnly: true });
    await session.add({ metainfo: publicTorrent.metainfo, store: publicTorrent.seederStore(), seedOnly: true });
    await heard.waitFor((datagram) => datagram.toLowerCase().includes(publicHash), 'the public torrent’s LSD announce');
    await bootstrap.queried.waitFor((query) => query.query === 'announce_peer' && query.infoHash === publicHash, 'announce_peer for the public torrent', 20_000);
    await rounds.waitFor((round) => round.infoHash === publicHash, 'the public round finished');

    expect(heard.events.some((datagram) => datagram.toLowerCase().includes(privateHash))).toBe(false);
    expect(bootstrap.queried.events.filter((query) => query.infoHash === privateHash)).toEqual([]);
    expect(rounds.events.map((round) => round.infoHash)).toEqual([publicHash]);
  });

  it('announces a hybrid torrent on the DHT and LSD under its v1 and its truncated v2 info hash', async () => {
    const hybrid = await makeTestTorrent({ size: 256 * 1024, pieceLength: 64 * 1024, seed: 'hybrid-swarms', version: 'hybrid' });
    const v1Hash = hybrid.metainfo.infoHashV1!.toString('hex');
    const v2Hash = hybrid.metainfo.infoHashV2!.subarray(0, 20).toString('hex');
    const bootstrap = await startBootstrapNode();
    const group = loopbackTestGroup();
    const heard = await listenToGroup(group);
    const session = await startSession({ dht: { bootstrap: [bootstrap.address], host: '127.0.0.1' }, lsd: { groups: [group] } });
    await session.add({ metainfo: hybrid.metainfo, store: hybrid.seederStore(), seedOnly: true });
    for (const hash of [v1Hash, v2Hash]) {
      await heard.waitFor((datagram) => datagram.toLowerCase().includes(hash), `the LSD announce for ${hash}`);
      await bootstrap.queried.waitFor((query) => query.query === 'announce_peer' && query.infoHash === hash, `announce_peer for ${hash}`, 20_000);
    }
  });

  it('frees its DHT port on close', async () => {
    const torrent = await makeTestTorrent({ size: 128 * 1024, pieceLength: 64 * 1024, seed: 'close-clean' });
    const session = new Session({ host: '127.0.0.1', port: 0, hashPool, dht: { bootstrap: [], host: '127.0.0.1' }, lsd: { groups: [loopbackTestGroup()] } });
    await session.listen();
    await session.add({ metainfo: torrent.metainfo, store: torrent.seederStore(), seedOnly: true });
    await waitUntil(() => session.list()[0]?.state === 'seeding');
    const { dhtPort } = session;
    await expect(bindUdp(dhtPort)).rejects.toThrow(/EADDRINUSE/);
    await session.close();
    expect(session.dhtPort).toBe(0);
    await bindUdp(dhtPort);
  });
});

/** Binds a UDP socket to 127.0.0.1:port and closes it again. */
async function bindUdp(port: number): Promise<void> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', resolve);
    });
  } finally {
    socket.close();
  }
}

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
