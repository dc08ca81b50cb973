import { pieceRange } from '@seedfleet/metainfo';
import { makeTestTorrent, startSwarm, type SwarmHarness, type TestTorrent } from '../testing';
import type { SwarmMember } from '../testing/swarm-harness';

jest.setTimeout(90_000);

let swarm: SwarmHarness | undefined;
afterEach(async () => {
  await swarm?.close();
  swarm = undefined;
});

async function expectContent(torrent: TestTorrent, member: SwarmMember): Promise<void> {
  const { metainfo, content } = torrent;
  for (let index = 0; index < metainfo.pieceCount; index++) {
    const { start, end } = pieceRange(metainfo, index);
    expect((await member.store.readPiece(index)).equals(content.subarray(start, end))).toBe(true);
  }
}

async function superSeedSwarm(leechers: number, seed: string): Promise<{ torrent: TestTorrent; uploadedPerSize: number }> {
  const torrent = await makeTestTorrent({ size: 2 * 1024 * 1024, pieceLength: 64 * 1024, seed });
  swarm = await startSwarm(torrent, { seeders: 1, leechers, seederOptions: { superSeed: true } });
  await swarm.allComplete(80_000);
  for (const leecher of swarm.leechers) await expectContent(torrent, leecher);
  return { torrent, uploadedPerSize: swarm.seeders[0].torrent.progress().uploaded / torrent.metainfo.totalSize };
}

it('a super-seeding seed gets 4 leechers complete while uploading each piece about once', async () => {
  const { uploadedPerSize } = await superSeedSwarm(4, 'super-seed-4');
  process.stdout.write(`super-seed, 4 leechers: seed uploaded ${uploadedPerSize.toFixed(2)}·F\n`);
  expect(uploadedPerSize).toBeGreaterThanOrEqual(1);
  expect(uploadedPerSize).toBeLessThanOrEqual(1.3);
});

it('with 8 leechers too', async () => {
  const { uploadedPerSize } = await superSeedSwarm(8, 'super-seed-8');
  process.stdout.write(`super-seed, 8 leechers: seed uploaded ${uploadedPerSize.toFixed(2)}·F\n`);
  expect(uploadedPerSize).toBeGreaterThanOrEqual(1);
  expect(uploadedPerSize).toBeLessThanOrEqual(1.3);
});

it('a single leecher of a super-seeding seed completes: an offer nobody else can take is settled at once', async () => {
  const { uploadedPerSize } = await superSeedSwarm(1, 'super-seed-1');
  expect(uploadedPerSize).toBeGreaterThanOrEqual(1);
  expect(uploadedPerSize).toBeLessThanOrEqual(1.3);
});

it('with the seed faster than each leecher but slower than all of them (an origin feeding a fleet), each piece still leaves about once', async () => {
  const torrent = await makeTestTorrent({ size: 8 * 1024 * 1024, pieceLength: 256 * 1024, seed: 'super-seed-limited' });
  swarm = await startSwarm(torrent, {
    seeders: 1,
    leechers: 4,
    seederOptions: { superSeed: true, maxUpRate: 2 * 1024 * 1024 },
    leecherOptions: { maxUpRate: 512 * 1024, chokeMode: 'cooperative' },
  });
  await swarm.allComplete(80_000);
  for (const leecher of swarm.leechers) await expectContent(torrent, leecher);
  const uploadedPerSize = swarm.seeders[0].torrent.progress().uploaded / torrent.metainfo.totalSize;
  process.stdout.write(`super-seed, rate-limited, 4 leechers: seed uploaded ${uploadedPerSize.toFixed(2)}·F\n`);
  expect(uploadedPerSize).toBeGreaterThanOrEqual(1);
  expect(uploadedPerSize).toBeLessThanOrEqual(1.3);
});
