import { makeTestTorrent, startSwarm, type SwarmHarness } from '../testing';
import type { Torrent, TorrentProgress } from '../torrent';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

/** Progress samples of a torrent (about one a second) until `count` were taken. */
function samples(torrent: Torrent, count: number): Promise<{ at: number; progress: TorrentProgress; received: number }[]> {
  const taken: { at: number; progress: TorrentProgress; received: number }[] = [];
  return new Promise((resolve) => {
    torrent.on('progress', (progress) => {
      taken.push({ at: performance.now(), progress, received: torrent.bytesReceived });
      if (taken.length === count) resolve(taken);
    });
  });
}

// A bucket lets through at most rate x window plus its burst (half a second of the rate) plus one block
// already requested.
const bound = (rate: number, ms: number): number => (rate * ms) / 1000 + rate / 2 + 16 * 1024;

it('a torrent download limit holds over a window', async () => {
  const rate = 512 * 1024;
  const torrent = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'down-limit' });
  swarm = await startSwarm(torrent, { seeders: 1, leechers: 1, leecherOptions: { maxDownRate: rate } });
  const [first, , last] = await samples(swarm.leechers[0].torrent, 3);
  const bytes = last.received - first.received;
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThanOrEqual(bound(rate, last.at - first.at));
  expect(swarm.leechers[0].torrent.bytesReceived).toBeLessThanOrEqual(bound(rate, last.at));
});

it('a session upload limit holds over a window', async () => {
  const rate = 384 * 1024;
  const torrent = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'up-limit' });
  swarm = await startSwarm(torrent, { seeders: 0, leechers: 0 });
  const seeder = await swarm.addLeecher({ store: torrent.seederStore(), seedOnly: true }, { maxUpRate: rate });
  swarm.leechers.splice(0);
  await swarm.addLeecher();
  await swarm.addLeecher();
  const [first, , last] = await samples(seeder.torrent, 3);
  const bytes = last.progress.uploaded - first.progress.uploaded;
  expect(bytes).toBeGreaterThan(0);
  expect(bytes).toBeLessThanOrEqual(bound(rate, last.at - first.at));
});
