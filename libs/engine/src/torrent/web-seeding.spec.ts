import { HashPool } from '@seedfleet/hashing';
import { type Metainfo, pieceRange, pieceSpans } from '@seedfleet/metainfo';
import { createTempDir, freePort, type TempDir } from '@seedfleet/testing';
import { Bitfield } from '@seedfleet/wire';
import { Session } from '../session/session';
import { MemoryPieceStore } from '../storage/memory-store';
import { type TorrentOnDisk, type TorrentSpec, torrentOnDisk } from '../storage/testing/torrent-on-disk';
import { corruptBytes, faultFirst, unavailable } from '../webseed/testing/faults';
import { RangeFileServer } from '../webseed/testing/range-file-server';
import { WarpClock } from '../webseed/testing/warp-clock';
import { FAST_LIMITS } from '../webseed/testing/web-seed-fixture';
import type { AddTorrentOptions } from './torrent-options';
import type { Torrent } from './torrent';
import type { PeerEvent } from './torrent-types';

jest.setTimeout(60_000);

const KiB = 1024;
let pool: HashPool;
let dir: TempDir;
const sessions: Session[] = [];
const servers: RangeFileServer[] = [];
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => (dir = await createTempDir('seedfleet-webseeding-')));
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await dir.remove();
});

const single: TorrentSpec = { name: 'payload.bin', version: 'v1', pieceLength: 64 * KiB, files: [{ path: 'payload.bin', size: 3 * 1024 * KiB + 12_345 }] };
const multi: TorrentSpec = {
  name: 'release',
  version: 'hybrid',
  pieceLength: 32 * KiB,
  files: [
    { path: 'a.bin', size: 700_001 },
    { path: 'dir/b c.bin', size: 50_000 },
    { path: 'empty', size: 0 },
    { path: 'dir/d.bin', size: 333_333 },
  ],
};

async function served(spec: TorrentSpec): Promise<{ torrent: TorrentOnDisk; server: RangeFileServer }> {
  const torrent = await torrentOnDisk(dir.path, spec, pool);
  const server = await RangeFileServer.start(torrent.directory);
  servers.push(server);
  return { torrent, server };
}

async function session(): Promise<{ session: Session; port: number }> {
  const created = new Session({ host: '127.0.0.1', port: 0, hashPool: pool });
  sessions.push(created);
  const { port } = await created.listen();
  return { session: created, port };
}

async function leecher(metainfo: Metainfo, options: Partial<AddTorrentOptions>): Promise<{ torrent: Torrent; store: MemoryPieceStore }> {
  const store = new MemoryPieceStore(metainfo);
  const torrent = await (await session()).session.add({ metainfo, store, webSeedOptions: FAST_LIMITS, ...options });
  return { torrent, store };
}

/** A peer serving `pieces` (all when undefined) of the torrent. */
async function seeder(torrent: TorrentOnDisk, pieces?: readonly number[], options: Partial<AddTorrentOptions> = {}): Promise<number> {
  const { session: created, port } = await session();
  const store = new MemoryPieceStore(torrent.metainfo, Buffer.concat(torrent.pieces as Buffer[]));
  const have = new Bitfield(torrent.metainfo.pieceCount);
  for (const index of pieces ?? torrent.pieces.map((_, index) => index)) have.set(index);
  await created.add({ metainfo: torrent.metainfo, store, have, uploadOnly: true, origin: 'off', ...options });
  return port;
}

async function expectContent(store: MemoryPieceStore, torrent: TorrentOnDisk): Promise<void> {
  for (let index = 0; index < torrent.metainfo.pieceCount; index++) {
    expect((await store.readPiece(index)).equals(torrent.pieces[index])).toBe(true);
  }
}

/** File bytes of a piece (pads excluded): what a web seed sends for it. */
function fileBytes(metainfo: Metainfo, index: number): number {
  return pieceSpans(metainfo, index).reduce((sum, span) => sum + span.length, 0);
}

describe('Torrent with web seeds (BEP 19) over a real HTTP Range server', () => {
  it('single-file, web seed only: completes with the right bytes in few large Range requests', async () => {
    const { torrent, server } = await served(single);
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [server.filesUrl] });
    await added.whenComplete();
    await expectContent(store, torrent);
    const size = single.files[0].size;
    expect(added.progress()).toMatchObject({ state: 'seeding', downloaded: size, webSeedDownloaded: size, webSeeds: 1 });
    expect(added.bytesReceived).toBe(0);
    const requests = server.rangeRequests;
    const average = requests.reduce((sum, request) => sum + request.range!.end - request.range!.start + 1, 0) / requests.length;
    expect(average).toBeGreaterThanOrEqual(1024 * KiB);
  });

  it('multi-file hybrid with pad files, from the metainfo url-list: every piece right, pads never fetched', async () => {
    const { torrent, server } = await served(multi);
    expect(torrent.metainfo.files.some((file) => file.pad)).toBe(true);
    const metainfo = { ...torrent.metainfo, urlList: [server.filesUrl.replace(/\/$/, '')] };
    const { torrent: added, store } = await leecher(metainfo, {});
    await added.whenComplete();
    await expectContent(store, torrent);
    const total = multi.files.reduce((sum, file) => sum + file.size, 0);
    expect(added.progress()).toMatchObject({ downloaded: total, webSeedDownloaded: total });
    // A run crossing a file boundary is one request per file; nothing outside real files is asked for.
    const files = new Set(server.rangeRequests.map((request) => request.file));
    expect([...files].sort()).toEqual(['release/a.bin', 'release/dir/b c.bin', 'release/dir/d.bin']);
  });

  it('fallback with a peer holding the first half: the web seed sends exactly the pieces the peer lacks', async () => {
    const { torrent, server } = await served(single);
    const { pieceCount } = torrent.metainfo;
    const half = Math.floor(pieceCount / 2);
    const port = await seeder(torrent, Array.from({ length: half }, (_, index) => index));
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [server.filesUrl], origin: 'fallback', peers: [{ host: '127.0.0.1', port }] });
    await added.whenComplete();
    await expectContent(store, torrent);
    let lacked = 0;
    for (let index = half; index < pieceCount; index++) lacked += fileBytes(torrent.metainfo, index);
    const progress = added.progress();
    expect(progress.webSeedDownloaded).toBe(lacked);
    expect(added.bytesReceived).toBe(pieceRange(torrent.metainfo, half).start);
    // No Range request touched the peer's half.
    for (const request of server.rangeRequests) expect(request.range!.start).toBeGreaterThanOrEqual(pieceRange(torrent.metainfo, half).start);
    process.stdout.write(`fallback mixed: file ${progress.total} B, origin ${progress.webSeedDownloaded} B (${(progress.webSeedDownloaded! / progress.total).toFixed(3)} of the file), peers ${added.bytesReceived} B\n`);
  });

  it('a web seed sending corrupt data is struck and disabled, no peer is banned, the download completes from the peer', async () => {
    const { torrent, server } = await served(single);
    const pieceStarts = Array.from({ length: torrent.metainfo.pieceCount }, (_, index) => pieceRange(torrent.metainfo, index).start + 100);
    server.script = faultFirst(Infinity, corruptBytes(pieceStarts));
    // A slower peer, so the web seed's bad pieces arrive while the download goes on.
    const port = await seeder(torrent, undefined, { maxUpRate: 1024 * KiB });
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [server.filesUrl], origin: 'assist', peers: [{ host: '127.0.0.1', port }] });
    const peerEvents: PeerEvent[] = [];
    const webSeedErrors: string[] = [];
    added.on('peer', (event) => peerEvents.push(event));
    added.on('webSeed', (event) => webSeedErrors.push(event.code));
    await added.whenComplete();
    await expectContent(store, torrent);
    expect(server.rangeRequests.length).toBeGreaterThan(0);
    expect(added.progress().webSeeds).toBe(0);
    expect(webSeedErrors).toContain('disabled');
    expect(peerEvents.filter((event) => event.reason?.startsWith('banned'))).toEqual([]);
  });

  it('503 with Retry-After is waited out (on a warp clock) and the download completes from the web seed', async () => {
    const { torrent, server } = await served(single);
    server.script = faultFirst(2, unavailable('120'));
    const warp = new WarpClock();
    const { torrent: added, store } = await leecher(torrent.metainfo, {
      webSeeds: [server.filesUrl],
      webSeedOptions: { ...FAST_LIMITS, clock: warp.clock, timers: warp.timers, random: () => 0.5 },
    });
    await added.whenComplete();
    await expectContent(store, torrent);
    expect(warp.waits).toContain(120_000);
    expect(server.requests.length).toBeGreaterThan(2);
  });

  it('an unreachable web seed does not hold up a peer that has everything', async () => {
    const { torrent } = await served(single);
    const port = await seeder(torrent);
    const deadUrl = `http://127.0.0.1:${await freePort()}/files/`;
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [deadUrl], origin: 'assist', peers: [{ host: '127.0.0.1', port }] });
    await added.whenComplete();
    await expectContent(store, torrent);
    expect(added.progress().webSeedDownloaded).toBe(0);
    expect(added.bytesReceived).toBeGreaterThanOrEqual(single.files[0].size);
  });

  it('the download rate limit holds for web-seed bytes: runs shrink to the tokens there are', async () => {
    const { torrent, server } = await served(single);
    const rate = 1024 * KiB;
    const startedAt = performance.now();
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [server.filesUrl], maxDownRate: rate });
    await added.whenComplete();
    const seconds = (performance.now() - startedAt) / 1000;
    await expectContent(store, torrent);
    // A lower bound only (a slow machine is slower still): the burst is half a second of the rate.
    expect(seconds).toBeGreaterThanOrEqual((single.files[0].size - rate / 2) / rate - 0.5);
    expect(Math.max(...server.rangeRequests.map((request) => request.range!.end - request.range!.start + 1))).toBeLessThanOrEqual(rate / 2);
  });

  it('pausing stops web-seed fetches; resuming finishes the download', async () => {
    const { torrent, server } = await served(single);
    const { torrent: added, store } = await leecher(torrent.metainfo, { webSeeds: [server.filesUrl], maxDownRate: 2048 * KiB });
    await new Promise<void>((resolve) => added.on('piece', () => resolve()));
    added.pause();
    const requestsAtPause = server.rangeRequests.length;
    expect(added.state).toBe('paused');
    added.resume();
    await added.whenComplete();
    await expectContent(store, torrent);
    expect(server.rangeRequests.length).toBeGreaterThan(requestsAtPause);
  });
});

describe('origin bytes in a swarm (issue 4: 1 web seed, 8 leechers, fallback)', () => {
  it('8 leechers starting together with one web seed: correct bytes, about one copy from the origin between them', async () => {
    const spec: TorrentSpec = { name: 'fleet.bin', version: 'v1', pieceLength: 256 * KiB, files: [{ path: 'fleet.bin', size: 32 * 1024 * KiB }] };
    const { torrent, server } = await served(spec);
    const leechers: { torrent: Torrent; store: MemoryPieceStore }[] = [];
    const ports: number[] = [];
    for (let count = 0; count < 8; count++) {
      const { session: created, port } = await session();
      const store = new MemoryPieceStore(torrent.metainfo);
      const peers = ports.map((known) => ({ host: '127.0.0.1', port: known }));
      leechers.push({ torrent: await created.add({ metainfo: torrent.metainfo, store, peers, webSeeds: [server.filesUrl], origin: 'fallback', webSeedOptions: FAST_LIMITS }), store });
      ports.push(port);
    }
    await Promise.all(leechers.map((leecher) => leecher.torrent.whenComplete()));
    for (const leecher of leechers) await expectContent(leecher.store, torrent);
    const origin = leechers.reduce((sum, leecher) => sum + leecher.torrent.progress().webSeedDownloaded!, 0);
    const ratio = origin / spec.files[0].size;
    process.stdout.write(`origin bytes / file size, 1 web seed + 8 leechers, fallback: ${ratio.toFixed(3)} (${origin} B; per leecher ${leechers.map((leecher) => leecher.torrent.progress().webSeedDownloaded).join(', ')})\n`);
    expect(ratio).toBeGreaterThanOrEqual(1);
    // Issue 4's target is 1.1 (measured 1.004-1.007 here); the bound leaves room for a loaded machine,
    // where downloaders see each other later. Without OriginShare this swarm fetched 2.8-5.3 copies.
    expect(ratio).toBeLessThanOrEqual(1.25);
  });
});
