import { makeTestTorrent, startSwarm, type SwarmHarness } from '../testing';
import { Session } from './session';
import type { Torrent, TorrentProgress } from '../torrent';

jest.setTimeout(60_000);

let swarm: SwarmHarness | undefined;
const extra: SwarmHarness[] = [];
let session: Session | undefined;
afterEach(async () => {
  await session?.close();
  await swarm?.close();
  for (const other of extra.splice(0)) await other.close();
  swarm = session = undefined;
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

it('a session download limit holds across two torrents together', async () => {
  const rate = 512 * 1024;
  const first = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'global-1' });
  const second = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 64 * 1024, seed: 'global-2' });
  swarm = await startSwarm(first, { seeders: 1, leechers: 0 });
  extra.push(await startSwarm(second, { seeders: 1, leechers: 0 }));
  session = new Session({ host: '127.0.0.1', hashPool: swarm.hashPool, maxDownRate: rate });
  await session.listen();
  const startedAt = performance.now();
  const a = await session.add({ metainfo: first.metainfo, store: first.emptyStore(), peers: [{ host: '127.0.0.1', port: swarm.seeders[0].port }] });
  const b = await session.add({ metainfo: second.metainfo, store: second.emptyStore(), peers: [{ host: '127.0.0.1', port: extra[0].seeders[0].port }] });
  await samples(a, 3);
  // Both share one bucket: together they stay within it since the session started.
  expect(a.bytesReceived + b.bytesReceived).toBeLessThanOrEqual(bound(rate, performance.now() - startedAt));
  expect(a.bytesReceived).toBeGreaterThan(0);
  expect(b.bytesReceived).toBeGreaterThan(0);
});
