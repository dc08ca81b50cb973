import { once } from 'node:events';
import { connect } from 'node:net';
import { HashPool } from '@seedfleet/hashing';
import { waitFor } from '@seedfleet/testing';
import { encodeHandshake } from '@seedfleet/wire';
import { Session } from '../session/session';
import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, storeContent } from '../testing';
import type { PeerEvent } from '../torrent';

jest.setTimeout(60_000);

// Each session on its own loopback address (Linux routes all of 127/8 to lo), so bans by IP are real.
const LEECHER = '127.0.0.4';
const LIAR = '127.0.0.3';
const HONEST = ['127.0.0.1', '127.0.0.2'];

const sessions: Session[] = [];
let pool: HashPool | undefined;
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await pool?.close();
  pool = undefined;
});

async function open(host: string): Promise<{ session: Session; port: number }> {
  pool ??= new HashPool({ size: 2 });
  const session = new Session({ host, port: 0, hashPool: pool });
  sessions.push(session);
  return { session, port: (await session.listen()).port };
}

it('bans the IP of a peer sending corrupt blocks; honest peers are never banned; the download completes correctly', async () => {
  const torrent = await makeTestTorrent({ size: 3 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'ban-by-ip' });
  const { metainfo } = torrent;
  const liarStore = torrent.seederStore();
  // Every other piece is corrupt: the liar also sends good blocks, as a real poisoner would.
  for (let index = 0; index < metainfo.pieceCount; index += 2) liarStore.corrupt(index);
  const liar = await open(LIAR);
  await liar.session.add({ metainfo, store: liarStore, seedOnly: true });
  const honest = [];
  for (const host of HONEST) {
    const member = await open(host);
    await member.session.add({ metainfo, store: torrent.seederStore(), seedOnly: true });
    honest.push({ host, port: member.port });
  }
  const leecher = await open(LEECHER);
  // The liar first, so it gets the first requests.
  const store = torrent.emptyStore();
  const download = await leecher.session.add({
    metainfo,
    store,
    peers: [{ host: LIAR, port: liar.port }, ...honest],
  });
  const events: PeerEvent[] = [];
  download.on('peer', (event) => events.push(event));
  await download.whenComplete();

  expect((await storeContent(store as MemoryPieceStore, metainfo)).equals(torrent.content)).toBe(true);
  expect(leecher.session.bans.isBanned(LIAR)).toBe(true);
  for (const host of HONEST) expect(leecher.session.bans.isBanned(host)).toBe(false);
  const banned = events.filter((event) => event.type === 'disconnected' && event.reason?.startsWith('banned'));
  expect(banned.length).toBeGreaterThan(0);
  expect(banned.every((event) => event.address.startsWith(`${LIAR}:`))).toBe(true);

  // The banned address is refused at accept time, before any handshake answer, and never dialed again.
  const socket = connect({ host: LEECHER, port: leecher.port, localAddress: LIAR });
  socket.on('error', () => undefined);
  socket.write(encodeHandshake({ flags: {}, infoHash: metainfo.infoHashV1!, peerId: Buffer.alloc(20, 7) }));
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  await once(socket, 'close');
  expect(Buffer.concat(received).length).toBe(0);
});

it('a liar whose every piece is corrupt is banned after poisoning only a few pieces: peers on probation get whole pieces', async () => {
  const torrent = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'ban-probation' });
  const { metainfo } = torrent;
  const liarStore = torrent.seederStore();
  for (let index = 0; index < metainfo.pieceCount; index++) liarStore.corrupt(index);
  // Which pieces the liar sent anything of, from its store's reads.
  const poisoned = new Set<number>();
  const readBlock = liarStore.readBlock.bind(liarStore);
  liarStore.readBlock = (index, begin, length) => {
    poisoned.add(index);
    return readBlock(index, begin, length);
  };
  const liar = await open(LIAR);
  await liar.session.add({ metainfo, store: liarStore, seedOnly: true });
  const honest = [];
  for (const host of HONEST) {
    const member = await open(host);
    // Honest seeds slower than the liar, so the liar is asked for as much as it can take.
    await member.session.add({ metainfo, store: torrent.seederStore(), seedOnly: true, maxUpRate: 512 * 1024 });
    honest.push({ host, port: member.port });
  }
  const leecher = await open(LEECHER);
  const store = torrent.emptyStore();
  const download = await leecher.session.add({ metainfo, store, peers: [{ host: LIAR, port: liar.port }, ...honest] });
  await download.whenComplete();

  expect((await storeContent(store as MemoryPieceStore, metainfo)).equals(torrent.content)).toBe(true);
  expect(leecher.session.bans.isBanned(LIAR)).toBe(true);
  for (const host of HONEST) expect(leecher.session.bans.isBanned(host)).toBe(false);
  // QUALITY.md S8: banned before 5 bad pieces. Whole pieces on probation make the first bad one convict it.
  expect(poisoned.size).toBeGreaterThan(0);
  expect(poisoned.size).toBeLessThan(5);
});

it('a ban from one torrent closes the address in every torrent of the session', async () => {
  const poisoned = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'ban-poisoned' });
  const other = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'ban-other' });
  const liarStore = poisoned.seederStore();
  for (let index = 0; index < poisoned.metainfo.pieceCount; index++) liarStore.corrupt(index);
  const liar = await open(LIAR);
  // The liar seeds a second torrent honestly, slowly, so that connection is still open at the ban.
  await liar.session.add({ metainfo: other.metainfo, store: other.seederStore(), seedOnly: true, maxUpRate: 64 * 1024 });
  await liar.session.add({ metainfo: poisoned.metainfo, store: liarStore, seedOnly: true });
  const honest = await open(HONEST[0]);
  await honest.session.add({ metainfo: poisoned.metainfo, store: poisoned.seederStore(), seedOnly: true });
  const leecher = await open(LEECHER);
  const otherDownload = await leecher.session.add({ metainfo: other.metainfo, store: other.emptyStore(), peers: [{ host: LIAR, port: liar.port }] });
  const otherEvents: PeerEvent[] = [];
  otherDownload.on('peer', (event) => otherEvents.push(event));
  await new Promise<void>((resolve) => otherDownload.on('peer', (event) => event.type === 'connected' && resolve()));
  const poisonedDownload = await leecher.session.add({
    metainfo: poisoned.metainfo,
    store: poisoned.emptyStore(),
    peers: [{ host: LIAR, port: liar.port }, { host: HONEST[0], port: honest.port }],
  });
  await poisonedDownload.whenComplete();
  expect(leecher.session.bans.isBanned(LIAR)).toBe(true);
  await waitFor('the other torrent to drop the banned address', async () => (otherEvents.some((event) => event.type === 'disconnected' && event.reason?.startsWith('banned')) ? true : undefined), { timeoutMs: 10_000 });
});
