import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metainfo } from '@seedfleet/metainfo';
import { createTempDir, type ReferencePeer, sha256Tree, startLibtorrentPeer, type TempDir, writeFileTree } from '@seedfleet/testing';
import { FileStore, Session } from '@seedfleet/engine';
import { createOurTorrent } from './our-torrent';

// BEP 16 against libtorrent 2.0: our super-seeding seed greets with have-none and reveals pieces one at a
// time by HAVE; libtorrent leechers still download everything from it, and from each other, with the seed
// uploading each piece about once.
jest.setTimeout(120_000);

const transferTimeoutMs = 90_000;
const MiB = 1024 * 1024;

let dir: TempDir;
const peers: ReferencePeer[] = [];
const sessions: Session[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-super-seed-');
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const peer of peers.splice(0)) await peer.stop();
});

afterAll(async () => {
  await dir?.remove();
});

interface Case {
  readonly metainfo: Metainfo;
  readonly torrentPath: string;
  readonly seedDir: string;
  readonly name: string;
}

async function makeCase(name: string): Promise<Case> {
  const seedDir = join(dir.path, name, 'seed');
  await writeFileTree(seedDir, [{ path: `${name}/app.bin`, size: 4 * MiB + 4321, seed: name }]);
  const torrentPath = join(dir.path, name, `${name}.torrent`);
  const metainfo = await createOurTorrent(join(seedDir, name), torrentPath, 'v1', 128 * 1024);
  return { metainfo, torrentPath, seedDir, name };
}

async function superSeed(swarm: Case): Promise<{ session: Session; uploaded: () => number }> {
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  await session.listen();
  const torrent = await session.add({ metainfo: swarm.metainfo, store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.seedDir }), superSeed: true });
  await torrent.whenComplete();
  return { session, uploaded: () => torrent.progress().uploaded };
}

async function libtorrentLeecher(swarm: Case, index: number, others: readonly { host: string; port: number }[]): Promise<{ peer: ReferencePeer; directory: string }> {
  const directory = join(dir.path, swarm.name, `leech-${index}`);
  await mkdir(directory, { recursive: true });
  const peer = await startLibtorrentPeer({ torrentPath: swarm.torrentPath, directory, role: 'download', peers: others });
  peers.push(peer);
  return { peer, directory };
}

it('a single libtorrent leecher downloads everything from our super-seeding seed', async () => {
  const swarm = await makeCase('super-seed-lt-1');
  const seed = await superSeed(swarm);
  const { peer, directory } = await libtorrentLeecher(swarm, 0, [{ host: '127.0.0.1', port: seed.session.port }]);
  await peer.whenComplete(transferTimeoutMs);
  expect(await sha256Tree(join(directory, swarm.name))).toEqual(await sha256Tree(join(swarm.seedDir, swarm.name)));
  expect(seed.uploaded()).toBeLessThanOrEqual(1.3 * swarm.metainfo.totalSize);
});

it('three libtorrent leechers complete from our super-seeding seed, which uploads each piece about once', async () => {
  const swarm = await makeCase('super-seed-lt-3');
  const seed = await superSeed(swarm);
  const known = [{ host: '127.0.0.1', port: seed.session.port }];
  const leechers: { peer: ReferencePeer; directory: string }[] = [];
  for (let index = 0; index < 3; index++) {
    const leecher = await libtorrentLeecher(swarm, index, known);
    leechers.push(leecher);
    known.push({ host: '127.0.0.1', port: leecher.peer.port });
  }
  const expected = await sha256Tree(join(swarm.seedDir, swarm.name));
  for (const { peer, directory } of leechers) {
    await peer.whenComplete(transferTimeoutMs);
    expect(await sha256Tree(join(directory, swarm.name))).toEqual(expected);
  }
  const ratio = seed.uploaded() / swarm.metainfo.totalSize;
  process.stdout.write(`super-seed, 3 libtorrent leechers: seed uploaded ${ratio.toFixed(2)}·F\n`);
  expect(ratio).toBeLessThanOrEqual(1.3);
});
