import type { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, startSwarm, storeContent, type SwarmHarness } from '../testing';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

it('pause disconnects and stops downloading; resume reconnects and completes', async () => {
  const torrent = await makeTestTorrent({ size: 3 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'pause' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 1, leecherOptions: { maxDownRate: 1024 * 1024 } });
  const [leecher] = swarm.leechers;
  await new Promise<void>((resolve) => leecher.torrent.on('piece', () => leecher.torrent.progress().piecesHave >= 4 && resolve()));
  const states: string[] = [];
  leecher.torrent.on('state', (state) => states.push(state));
  leecher.torrent.pause();
  const paused = leecher.torrent.progress();
  expect(paused).toMatchObject({ state: 'paused', peers: 0 });
  expect(swarm.seeders[0].session.get(torrent.metainfo.infoHashV1!)?.progress().state).toBe('seeding');
  leecher.torrent.resume();
  await leecher.torrent.whenComplete();
  expect(states).toEqual(['paused', 'downloading', 'seeding']);
  expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
});

it('a cooperative (fleet) swarm of one seeder and five leechers completes', async () => {
  const torrent = await makeTestTorrent({ size: 4 * 1024 * 1024, pieceLength: 128 * 1024, seed: 'cooperative' });
  swarm = await startSwarm(torrent, {
    seeders: 1,
    leechers: 5,
    seederOptions: { chokeMode: 'cooperative', unchokeSlots: 2 },
    leecherOptions: { chokeMode: 'cooperative', unchokeSlots: 2 },
  });
  await swarm.allComplete(45_000);
  for (const leecher of swarm.leechers) {
    expect((await storeContent(leecher.store as MemoryPieceStore, torrent.metainfo)).equals(torrent.content)).toBe(true);
  }
});
