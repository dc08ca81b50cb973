import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';

jest.setTimeout(90_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

it('one seeder and eight leechers in one process all complete with verified bytes', async () => {
  const torrent = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 128 * 1024, seed: 'eight-leechers' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 8 });
  await swarm.allComplete(60_000);
  for (const leecher of swarm.leechers) {
    expect(leecher.torrent.state).toBe('seeding');
    expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  }
  // Leechers traded among themselves: the seeder did not have to send everything eight times.
  const fromLeechers = swarm.leechers.reduce((sum, leecher) => sum + leecher.torrent.progress().uploaded, 0);
  expect(fromLeechers).toBeGreaterThan(0);
});
