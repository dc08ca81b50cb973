import { pieceRange } from '@seedfleet/metainfo';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, type SwarmHarness } from '../testing';
import type { Torrent } from '../torrent/torrent';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

function whenPieces(torrent: Torrent, count: number): Promise<void> {
  return new Promise((resolve) => {
    if (torrent.progress().piecesHave >= count) return resolve();
    torrent.on('piece', () => torrent.progress().piecesHave >= count && resolve());
  });
}

function whenConnected(torrent: Torrent, count: number): Promise<void> {
  return new Promise((resolve) => {
    if (torrent.progress().peers >= count) return resolve();
    torrent.on('peer', () => torrent.progress().peers >= count && resolve());
  });
}

function ticks(torrent: Torrent, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => torrent.on('progress', () => ++seen >= count && resolve()));
}

it('uploadOnly checks the store, seeds the pieces it has while incomplete, and never downloads', async () => {
  const torrent = await makeTestTorrent({ size: 1024 * 1024, pieceLength: 64 * 1024, seed: 'upload-only' });
  const { metainfo, content } = torrent;
  const half = metainfo.pieceCount / 2;
  const partial = new MemoryPieceStore(metainfo);
  for (let index = 0; index < half; index++) {
    const { start, end } = pieceRange(metainfo, index);
    await partial.writePiece(index, content.subarray(start, end));
  }
  // A full seeder is there to download from, were the upload-only peer willing to.
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 0 });
  // No PEX: it would tell the seeder of the leecher below, which must learn only of the uploader.
  const uploader = await swarm.addLeecher({ store: partial, uploadOnly: true, pex: false });
  swarm.leechers.splice(0);
  const states: string[] = [uploader.torrent.state];
  uploader.torrent.on('state', (state) => states.push(state));
  let completed = false;
  void uploader.torrent.whenComplete().then(() => (completed = true), () => undefined);

  // A leecher that knows only the upload-only peer gets exactly the half it has.
  const leecher = await swarm.addLeecher({ peers: [{ host: '127.0.0.1', port: uploader.port }] });
  await whenPieces(leecher.torrent, half);
  await whenConnected(uploader.torrent, 2);
  // Two more ticks (each tops up every pipeline) in which a downloading torrent would request from the seeder.
  await ticks(uploader.torrent, 2);

  expect(states).toEqual(['checking', 'seeding']);
  expect(uploader.torrent.startupCheck).toMatchObject({ checkedPieces: half });
  const progress = uploader.torrent.progress();
  expect(progress).toMatchObject({ state: 'seeding', piecesHave: half, downloaded: half * metainfo.pieceLength });
  expect(progress.uploaded).toBeGreaterThanOrEqual(half * metainfo.pieceLength);
  expect(uploader.torrent.bytesReceived).toBe(0);
  expect(completed).toBe(false);
  expect(leecher.torrent.progress().piecesHave).toBe(half);
  for (let index = 0; index < half; index++) {
    const { start, end } = pieceRange(metainfo, index);
    expect((await leecher.store.readPiece(index)).equals(content.subarray(start, end))).toBe(true);
  }
});

it('an uploadOnly torrent whose store is complete is an ordinary seed: complete at once', async () => {
  const torrent = await makeTestTorrent({ size: 256 * 1024, pieceLength: 64 * 1024, seed: 'upload-only-full' });
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  const seed = await swarm.addLeecher({ store: torrent.seederStore(), uploadOnly: true });
  await seed.torrent.whenComplete();
  expect(seed.torrent.progress()).toMatchObject({ state: 'seeding', piecesHave: torrent.metainfo.pieceCount });
  const leecher = await swarm.addLeecher();
  await leecher.torrent.whenComplete();
  expect(leecher.torrent.progress().piecesHave).toBe(torrent.metainfo.pieceCount);
});
