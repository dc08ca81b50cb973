import { join } from 'node:path';
import {
  createTempDir,
  libtorrentCreate,
  type Opentracker,
  type ReferencePeer,
  ScriptedPeer,
  sha256Tree,
  startAria2Peer,
  startLibtorrentPeer,
  startOpentracker,
  startTransmissionPeer,
  type StartPeerOptions,
  type TempDir,
  writeFileTree,
} from '@seedfleet/testing';

// The reference-client wrappers the engine's interop tests stand on: each pairing meets through
// opentracker only (no direct peer), and the leecher's files must equal the seeder's byte for byte.
jest.setTimeout(120_000);

const transferTimeoutMs = 60_000;

type StartPeer<P extends ReferencePeer = ReferencePeer> = (options: StartPeerOptions) => Promise<P>;

let dir: TempDir;
let tracker: Opentracker;
const running: ReferencePeer[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-swarm-');
  tracker = await startOpentracker();
});

afterEach(async () => {
  for (const peer of running.splice(0).reverse()) await peer.stop();
});

afterAll(async () => {
  await tracker?.stop();
  await dir?.remove();
});

/** A multi-file v1 torrent of its own per pairing (a separate swarm), announcing to the tracker. */
async function swarmCase(name: string): Promise<{ torrentPath: string; seedDir: string; leechDir: string; infoHash: string }> {
  const seedDir = join(dir.path, name, 'seed');
  await writeFileTree(seedDir, [
    { path: `${name}/a.bin`, size: 3 * 1024 * 1024 + 12_345, seed: `${name}-a` },
    { path: `${name}/sub/b.bin`, size: 1024 * 1024 + 7, seed: `${name}-b` },
  ]);
  const torrentPath = join(dir.path, name, `${name}.torrent`);
  const created = await libtorrentCreate({ path: join(seedDir, name), output: torrentPath, version: 'v1', pieceLength: 64 * 1024, trackers: [[tracker.url]] });
  await tracker.allow([created.infoHashV1!]);
  return { torrentPath, seedDir, leechDir: join(dir.path, name, 'leech'), infoHash: created.infoHashV1! };
}

async function transfer(name: string, startSeeder: StartPeer<ScriptedPeer> | StartPeer, startLeecher: StartPeer): Promise<void> {
  const swarm = await swarmCase(name);
  const seeder = await startSeeder({ torrentPath: swarm.torrentPath, directory: swarm.seedDir, role: 'seed' });
  running.push(seeder);
  // The leecher learns of the seeder from its first announce only if the seeder is registered by then.
  await tracker.waitForSwarm(swarm.infoHash, { complete: 1 }, transferTimeoutMs);
  const leecher = await startLeecher({ torrentPath: swarm.torrentPath, directory: swarm.leechDir, role: 'download' });
  running.push(leecher);
  if (!leecher.dialsLoopbackPeers) {
    // Transmission ignores 127.x peers from the tracker: once it has announced, the seeder announces
    // again, learns of it from the tracker and dials it.
    await tracker.waitForSwarm(swarm.infoHash, { complete: 1, incomplete: 1 }, transferTimeoutMs);
    if (!(seeder instanceof ScriptedPeer)) throw new Error(`${seeder.client} cannot be asked to announce`);
    seeder.announce();
  }
  await leecher.whenComplete(transferTimeoutMs);

  const progress = await leecher.progress();
  expect(progress.downloaded).toBe(progress.total);
  expect(await sha256Tree(swarm.leechDir)).toEqual(await sha256Tree(swarm.seedDir));
}

it('libtorrent seeds, Transmission downloads', () => transfer('lt-to-transmission', startLibtorrentPeer, startTransmissionPeer));

it('libtorrent seeds, aria2 downloads', () => transfer('lt-to-aria2', startLibtorrentPeer, startAria2Peer));

it('aria2 seeds, libtorrent downloads', () => transfer('aria2-to-lt', startAria2Peer, startLibtorrentPeer));

it('Transmission seeds, libtorrent downloads', () => transfer('transmission-to-lt', startTransmissionPeer, startLibtorrentPeer));
