import { createTorrent, type Metainfo, parseTorrent, pieceRange } from '@seedfleet/metainfo';
import { startTestTracker, type TestTracker, waitFor } from '@seedfleet/testing';
import { once } from 'node:events';
import { connect } from 'node:net';
import { HashPool } from '@seedfleet/hashing';
import { encodeHandshake, HANDSHAKE_LENGTH, parseHandshake } from '@seedfleet/wire';
import { Session } from '../session/session';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, seededBytes, startSwarm, storeContent, type SwarmHarness, type TestTorrent } from '../testing';
import type { PeerEvent } from '../torrent';

// v2-only swarms between our own Sessions over real TCP (127.0.0.1): BEP 52 pieces verified against
// per-file merkle trees, piece layers fetched from peers when the metainfo lacks them.
jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
const sessions: Session[] = [];
let pool: HashPool | undefined;
let tracker: TestTracker | undefined;
afterEach(async () => {
  await tracker?.close();
  tracker = undefined;
  await swarm?.close();
  swarm = undefined;
  for (const session of sessions.splice(0)) await session.close();
  await pool?.close();
  pool = undefined;
});

/** A multi-file v2 torrent: files of several pieces, one of less than a piece, one of exactly one block. */
async function multiFileV2(pieceLength: number): Promise<TestTorrent> {
  const files = [
    { path: ['big.bin'], bytes: seededBytes(5 * pieceLength + 777, 'v2-big') },
    { path: ['dir', 'small.bin'], bytes: seededBytes(pieceLength / 3, 'v2-small') },
    { path: ['dir', 'block.bin'], bytes: seededBytes(16 * 1024, 'v2-block') },
    { path: ['mid.bin'], bytes: seededBytes(2 * pieceLength + 1, 'v2-mid') },
  ];
  const created = await createTorrent(
    files.map((file) => ({ path: file.path, length: file.bytes.length, open: async function* () { yield file.bytes; } })),
    { name: 'v2', pieceLength, version: 'v2' },
  );
  const metainfo = parseTorrent(created.torrent);
  const space = Buffer.alloc(pieceRange(metainfo, metainfo.pieceCount - 1).end);
  for (const file of metainfo.files) files.find((source) => source.path.join('/') === file.path.join('/'))!.bytes.copy(space, file.offset);
  return { metainfo, content: space, seederStore: () => new MemoryPieceStore(metainfo, space), emptyStore: () => new MemoryPieceStore(metainfo) };
}

/** The same torrent as a btmh magnet would give it: the info dict, no piece layers. */
function withoutPieceLayers(metainfo: Metainfo): Metainfo {
  return { ...metainfo, pieceLayers: new Map() };
}

it('downloads a single-file v2-only torrent from one seeder, verified against the piece layer', async () => {
  const torrent = await makeTestTorrent({ size: 3 * 1024 * 1024 + 4321, pieceLength: 128 * 1024, version: 'v2', seed: 'v2-single' });
  expect(torrent.metainfo).toMatchObject({ version: 'v2', infoHashV1: null });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 1 });
  const [leecher] = swarm.leechers;
  expect(leecher.torrent.infoHash.equals(torrent.metainfo.infoHashV2!.subarray(0, 20))).toBe(true);
  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  expect(leecher.torrent.progress()).toMatchObject({ state: 'seeding', downloaded: torrent.content.length });
});

it('downloads a multi-file v2 torrent whose pieces end with their files (short last pieces, sub-piece files)', async () => {
  const torrent = await multiFileV2(64 * 1024);
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 2 });
  await swarm.allComplete(30_000);
  const total = torrent.metainfo.files.reduce((sum, file) => sum + file.length, 0);
  const expected = await storeContent(torrent.seederStore(), torrent.metainfo);
  for (const leecher of swarm.leechers) {
    expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(expected)).toBe(true);
    expect(leecher.torrent.progress()).toMatchObject({ downloaded: total, total });
  }
});

it('bans the IP of a seeder whose v2 pieces fail their merkle check and completes from the honest one', async () => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, version: 'v2', seed: 'v2-liar' });
  const { metainfo } = torrent;
  const liarStore = torrent.seederStore();
  for (let index = 0; index < metainfo.pieceCount; index += 2) liarStore.corrupt(index);
  // Each session on its own loopback address: bans are by IP.
  pool = new HashPool({ size: 2 });
  const open = async (host: string) => {
    const session = new Session({ host, port: 0, hashPool: pool });
    sessions.push(session);
    return { session, port: (await session.listen()).port };
  };
  const liar = await open('127.0.0.13');
  await liar.session.add({ metainfo, store: liarStore, seedOnly: true });
  const honest = await open('127.0.0.12');
  await honest.session.add({ metainfo, store: torrent.seederStore(), seedOnly: true });
  const leecher = await open('127.0.0.14');
  const store = torrent.emptyStore();
  const download = await leecher.session.add({ metainfo, store, peers: [{ host: '127.0.0.13', port: liar.port }, { host: '127.0.0.12', port: honest.port }] });
  await download.whenComplete();
  expect((await storeContent(store, metainfo)).equals(torrent.content)).toBe(true);
  expect(leecher.session.bans.isBanned('127.0.0.13')).toBe(true);
  expect(leecher.session.bans.isBanned('127.0.0.12')).toBe(false);
});

it.each([
  ['one hash request per file', 64 * 1024],
  // 16 KiB pieces: big.bin's layer has 1024 hashes, fetched as two proven requests of 512.
  ['layers longer than 512 hashes, in proven chunks', 16 * 1024],
])('a leecher without piece layers (as from a btmh magnet) fetches them from the seeder: %s', async (_name, pieceLength) => {
  const torrent =
    pieceLength === 16 * 1024 ? await makeTestTorrent({ size: 1024 * 16 * 1024 - 5, pieceLength, version: 'v2', seed: 'v2-long-layer' }) : await multiFileV2(pieceLength);
  const bare = withoutPieceLayers(torrent.metainfo);
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const leecher = await swarm.addLeecher({ metainfo: bare, store: new MemoryPieceStore(bare) });
  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, bare)).equals(await storeContent(torrent.seederStore(), bare))).toBe(true);
  for (const [root, layer] of torrent.metainfo.pieceLayers) expect(bare.pieceLayers.get(root)?.equals(layer)).toBe(true);
});

it('a leecher without piece layers and only a seeder that has none either downloads nothing it cannot verify', async () => {
  const torrent = await makeTestTorrent({ size: 512 * 1024, pieceLength: 64 * 1024, version: 'v2', seed: 'v2-no-layers' });
  const bare = withoutPieceLayers(torrent.metainfo);
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  const seeder = await swarm.addLeecher({ metainfo: bare, store: new MemoryPieceStore(bare, torrent.content), seedOnly: true });
  swarm.leechers.splice(0);
  const leecher = await swarm.addLeecher({ metainfo: bare, store: new MemoryPieceStore(bare) });
  const events: PeerEvent[] = [];
  leecher.torrent.on('peer', (event) => events.push(event));
  await waitFor('the leecher to connect', async () => (events.some((event) => event.type === 'connected') ? true : undefined), { timeoutMs: 10_000 });
  // Its hash requests are rejected (the seeder holds no layer): three ticks later nothing was requested.
  let ticks = 0;
  leecher.torrent.on('progress', () => ticks++);
  await waitFor('three progress ticks', async () => (ticks >= 3 ? true : undefined), { timeoutMs: 10_000 });
  expect(leecher.torrent.bytesReceived).toBe(0);
  expect(leecher.torrent.progress().downloaded).toBe(0);
  expect(seeder.torrent.state).toBe('seeding');
});

it.each(['hybrid', 'v2'] as const)('a %s swarm meets through a tracker: announced under the truncated v2 hash (and the v1 one for hybrids)', async (version) => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024 + 5, pieceLength: 64 * 1024, version, seed: `announce-${version}` });
  tracker = await startTestTracker();
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 2, trackerUrl: tracker.url });
  await swarm.allComplete(30_000);
  const announced = new Set(tracker.announces.map((announce) => announce.infoHash));
  const expected = [torrent.metainfo.infoHashV2!.subarray(0, 20), ...(version === 'hybrid' ? [torrent.metainfo.infoHashV1!] : [])];
  expect([...announced].sort()).toEqual(expected.map((hash) => hash.toString('hex')).sort());
});

it('a hybrid seeder greeted with the truncated v2 hash answers with it and the upgrade bit (reserved byte 7, 0x10)', async () => {
  const torrent = await makeTestTorrent({ size: 300_000, pieceLength: 64 * 1024, version: 'hybrid', seed: 'v2-greeting' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  const v2Short = torrent.metainfo.infoHashV2!.subarray(0, 20);
  const socket = connect({ host: '127.0.0.1', port: swarm.seeders[0].port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(encodeHandshake({ flags: { v2Upgrade: true, extensionProtocol: true }, infoHash: v2Short, peerId: Buffer.alloc(20, 9) }));
  let received = Buffer.alloc(0);
  while (received.length < HANDSHAKE_LENGTH) received = Buffer.concat([received, (await once(socket, 'data'))[0] as Buffer]);
  socket.destroy();
  const answer = parseHandshake(received.subarray(0, HANDSHAKE_LENGTH))!;
  expect(answer.infoHash.equals(v2Short)).toBe(true);
  expect(answer.flags.v2Upgrade).toBe(true);
  expect(answer.reserved[7] & 0x10).toBe(0x10);
});
