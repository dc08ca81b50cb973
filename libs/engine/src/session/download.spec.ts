import { createTorrent, parseTorrent, pieceRange } from '@seedfleet/metainfo';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, seededBytes, startSwarm, storeContent, type SwarmHarness, type TestTorrent } from '../testing';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

it('one seeder and one leecher: the leecher completes with the seeder\'s bytes', async () => {
  const torrent = await makeTestTorrent({ size: 3 * 1024 * 1024 + 12345, pieceLength: 256 * 1024 });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 1 });
  const [leecher] = swarm.leechers;
  const states: string[] = [];
  leecher.torrent.on('state', (state) => states.push(state));
  await swarm.allComplete(30_000);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  const progress = leecher.torrent.progress();
  expect(progress).toMatchObject({ state: 'seeding', downloaded: torrent.content.length, total: torrent.content.length, piecesHave: torrent.metainfo.pieceCount });
  expect(states).toContain('seeding');
  expect(swarm.seeders[0].torrent.progress().uploaded).toBeGreaterThanOrEqual(torrent.content.length);
});

it('a multi-file hybrid torrent (pad files between files) downloads in a v1 swarm; progress counts file bytes only', async () => {
  const files = [
    { path: ['a.bin'], bytes: seededBytes(300_000, 'hybrid-a') },
    { path: ['dir', 'b.bin'], bytes: seededBytes(70_001, 'hybrid-b') },
    { path: ['dir', 'c.bin'], bytes: seededBytes(123_457, 'hybrid-c') },
  ];
  const created = await createTorrent(
    files.map((file) => ({ path: file.path, length: file.bytes.length, open: async function* () { yield file.bytes; } })),
    { name: 'hybrid', pieceLength: 64 * 1024, version: 'hybrid' },
  );
  const metainfo = parseTorrent(created.torrent);
  expect(metainfo.files.some((file) => file.pad)).toBe(true);
  // The piece space: each file at its offset, pads as zeros.
  const space = Buffer.alloc(pieceRange(metainfo, metainfo.pieceCount - 1).end);
  for (const file of metainfo.files.filter((entry) => !entry.pad)) {
    files.find((source) => source.path.join('/') === file.path.join('/'))!.bytes.copy(space, file.offset);
  }
  const torrent: TestTorrent = {
    metainfo,
    content: space,
    seederStore: () => new MemoryPieceStore(metainfo, space),
    emptyStore: () => new MemoryPieceStore(metainfo),
  };
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 1 });
  await swarm.allComplete(30_000);
  const [leecher] = swarm.leechers;
  expect((await storeContent(leecher.store as MemoryPieceStore, metainfo)).equals(space)).toBe(true);
  const total = files.reduce((sum, file) => sum + file.bytes.length, 0);
  expect(leecher.torrent.progress()).toMatchObject({ state: 'seeding', downloaded: total, total });
});
