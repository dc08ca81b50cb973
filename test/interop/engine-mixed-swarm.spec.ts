import { join } from 'node:path';
import {
  createTempDir,
  type ScriptedPeer,
  sha256Tree,
  startLibtorrentPeer,
  startTestTracker,
  type TempDir,
  type TestTracker,
  writeFileTree,
} from '@seedfleet/testing';
import { FileStore, type PeerEvent, Session, type Torrent } from '@seedfleet/engine';
import { createOurTorrent } from './our-torrent';

// A mixed swarm on loopback: our seeder, two libtorrent 2.0 leechers and two of our leechers, meeting only
// through an in-process tracker, on a multi-file hybrid torrent (pad files between files). Our leechers are
// held to a slow download rate so the libtorrent leechers finish first; then our seeder leaves, and what
// our leechers still lack can only come from each other or from libtorrent. Every copy is checked by SHA-256.
jest.setTimeout(120_000);

const timeoutMs = 90_000;
const pieceLength = 256 * 1024;
const MiB = 1024 * 1024;
/** Our leechers' download limit: 16 MiB takes them 40 s or more, libtorrent's unlimited leechers seconds. */
const ourDownRate = 384 * 1024;

let dir: TempDir;
let tracker: TestTracker;
const sessions: Session[] = [];
const ltPeers: ScriptedPeer[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-mixed-swarm-');
  tracker = await startTestTracker();
});

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close()));
  for (const peer of ltPeers) await peer.stop();
  await tracker?.close();
  await dir?.remove();
});

function withTimeout<T>(promise: Promise<T>, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function ourSession(): Promise<Session> {
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  await session.listen();
  return session;
}

it('our seeder, two libtorrent leechers and two of our leechers complete, and bytes cross between the clients', async () => {
  const name = 'mixed';
  const seedDir = join(dir.path, 'seed');
  await writeFileTree(seedDir, [
    { path: `${name}/a.bin`, size: 9 * MiB + 4321, seed: 'mixed-a' },
    { path: `${name}/b/b.bin`, size: 5 * MiB + 77, seed: 'mixed-b' },
    { path: `${name}/b/c.bin`, size: MiB + 999, seed: 'mixed-c' },
  ]);
  const torrentPath = join(dir.path, `${name}.torrent`);
  const metainfo = await createOurTorrent(join(seedDir, name), torrentPath, 'hybrid', pieceLength, { trackers: [[tracker.url]] });
  const infoHash = metainfo.infoHashV1!.toString('hex');
  const total = metainfo.totalSize;
  const announced = (port: number, seeder: boolean): Promise<unknown> =>
    tracker.waitForAnnounce((announce) => announce.infoHash === infoHash && announce.port === port && (announce.left === 0) === seeder, timeoutMs);

  // Our seeder checks its files like any restart, then announces.
  const seederSession = await ourSession();
  const seeder = await seederSession.add({ metainfo, store: new FileStore({ metainfo, directory: seedDir }) });
  await withTimeout(seeder.whenComplete(), () => 'our seeder to check its files');
  await announced(seederSession.port, true);

  // libtorrent leechers learn of the seeder (and of each other) from the tracker.
  const ltDirs = [join(dir.path, 'lt-1'), join(dir.path, 'lt-2')];
  for (const directory of ltDirs) {
    const peer = await startLibtorrentPeer({ torrentPath, directory, role: 'download', progressIntervalMs: 250 });
    ltPeers.push(peer);
    await announced(peer.port, false);
  }

  // Our leechers announce last, so the tracker hands them every other peer; they dial them all.
  const ourDirs = [join(dir.path, 'ours-1'), join(dir.path, 'ours-2')];
  const ours: { torrent: Torrent; events: PeerEvent[] }[] = [];
  for (const directory of ourDirs) {
    const session = await ourSession();
    const torrent = await session.add({ metainfo, store: new FileStore({ metainfo, directory }), maxDownRate: ourDownRate });
    const events: PeerEvent[] = [];
    torrent.on('peer', (event) => events.push(event));
    ours.push({ torrent, events });
  }
  const describeOurs = (): string => JSON.stringify(ours.map(({ torrent, events }) => ({ progress: torrent.progress(), events })));

  await Promise.all(ltPeers.map((peer) => peer.whenComplete(timeoutMs)));
  // The seeder leaves. From here on our leechers' uploads can only go to each other (libtorrent's leechers
  // are complete), so whatever they receive beyond what they send came from libtorrent.
  const before = ours.map(({ torrent }) => ({ received: torrent.bytesReceived, uploaded: torrent.progress().uploaded, downloaded: torrent.progress().downloaded }));
  await seederSession.close();
  await withTimeout(Promise.all(ours.map(({ torrent }) => torrent.whenComplete())), () => `our leechers to complete: ${describeOurs()}`);

  const received = ours.reduce((sum, { torrent }, index) => sum + torrent.bytesReceived - before[index]!.received, 0);
  const sentToEachOther = ours.reduce((sum, { torrent }, index) => sum + torrent.progress().uploaded - before[index]!.uploaded, 0);
  const fromLibtorrent = received - sentToEachOther;
  // Pieces neither of ours held when the seeder left had to enter the pair from libtorrent at least once.
  // The counters are read while requests are in flight: bytes sent before the snapshot and received after
  // only add to fromLibtorrent; blocks sent to each other and not yet read at the end take at most a few
  // blocks from it (the 1 MiB allowance).
  const heldByOurs = before.reduce((sum, { downloaded }) => sum + downloaded, 0);
  expect({ heldByOurs, lackedByBoth: total - heldByOurs >= total / 4 }).toEqual({ heldByOurs, lackedByBoth: true });
  expect(fromLibtorrent).toBeGreaterThanOrEqual(total - heldByOurs - MiB);
  for (const { torrent, events } of ours) {
    expect(torrent.progress()).toMatchObject({ state: 'seeding', downloaded: total, total });
    expect(events.some((event) => event.type === 'connected' && /^libtorrent/.test(event.client ?? ''))).toBe(true);
  }
  for (const peer of ltPeers) expect(await peer.progress()).toMatchObject({ downloaded: total, total });

  const source = await sha256Tree(join(seedDir, name));
  expect(source.size).toBe(3);
  for (const directory of [...ltDirs, ...ourDirs]) expect(await sha256Tree(join(directory, name))).toEqual(source);
});
