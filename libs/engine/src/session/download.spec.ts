import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';
import type { MemoryPieceStore } from '../storage/memory-store';

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
