import { startTestTracker, type TestTracker } from '@seedfleet/testing';
import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';

jest.setTimeout(90_000);

let swarm: SwarmHarness | undefined;
let tracker: TestTracker | undefined;
afterEach(async () => {
  await swarm?.close();
  await tracker?.close();
  swarm = tracker = undefined;
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

it('one seeder and eight leechers find each other through an in-process tracker and complete', async () => {
  const torrent = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'tracker-swarm' });
  tracker = await startTestTracker();
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 8, trackerUrl: tracker.url });
  await swarm.allComplete(60_000);
  for (const leecher of swarm.leechers) {
    expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  }
  const infoHash = torrent.metainfo.infoHashV1!.toString('hex');
  const byEvent = (event: string): number => tracker!.announces.filter((announce) => announce.infoHash === infoHash && announce.event === event).length;
  expect(byEvent('started')).toBe(9);
  await tracker.waitForAnnounce(() => byEvent('completed') === 8);
  await swarm.close();
  swarm = undefined;
  expect(byEvent('stopped')).toBe(9);
});
