import { join } from 'node:path';
import type { Metainfo } from '@seedfleet/metainfo';
import { createTempDir, type ReferencePeer, sha256Tree, startTestTracker, startTransmissionPeer, type TempDir, type TestTracker, writeFileTree } from '@seedfleet/testing';
import { FileStore, type PeerEvent, Session } from '@seedfleet/engine';
import { createOurTorrent } from './our-torrent';

// Transmission 3.00 with "encryption": 2 (require encrypted peers) against our Session, both ways. It
// drops 127.x peers from tracker answers, so we dial it in both directions once it announced.
jest.setTimeout(120_000);

const transferTimeoutMs = 90_000;
const MiB = 1024 * 1024;
const requireEncryption = { encryption: 2 };

let dir: TempDir;
let tracker: TestTracker;
const peers: ReferencePeer[] = [];
const sessions: Session[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-mse-transmission-');
  tracker = await startTestTracker();
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const peer of peers.splice(0)) await peer.stop();
});

afterAll(async () => {
  await tracker?.close();
  await dir?.remove();
});

async function makeCase(name: string): Promise<{ metainfo: Metainfo; torrentPath: string; seedDir: string; leechDir: string }> {
  const seedDir = join(dir.path, name, 'seed');
  await writeFileTree(seedDir, [{ path: `${name}/a.bin`, size: 5 * MiB + 999, seed: name }]);
  const torrentPath = join(dir.path, name, `${name}.torrent`);
  const metainfo = await createOurTorrent(join(seedDir, name), torrentPath, 'v1', 256 * 1024, { trackers: [[tracker.url]] });
  return { metainfo, torrentPath, seedDir, leechDir: join(dir.path, name, 'leech') };
}

function announced(metainfo: Metainfo, port: number, seeder: boolean): Promise<unknown> {
  const infoHash = metainfo.infoHashV1!.toString('hex');
  return tracker.waitForAnnounce((announce) => announce.infoHash === infoHash && announce.port === port && (announce.left === 0) === seeder, transferTimeoutMs);
}

async function expectSameFiles(swarm: { seedDir: string; leechDir: string }, name: string): Promise<void> {
  expect(await sha256Tree(join(swarm.leechDir, name))).toEqual(await sha256Tree(join(swarm.seedDir, name)));
}

it('Transmission requiring encryption downloads from our seeder', async () => {
  const swarm = await makeCase('to-transmission');
  const session = new Session({ host: '127.0.0.1', encryption: 'require' });
  sessions.push(session);
  await session.listen();
  const torrent = await session.add({ metainfo: swarm.metainfo, store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.seedDir }) });
  await torrent.whenComplete();
  const leecher = await startTransmissionPeer({ torrentPath: swarm.torrentPath, directory: swarm.leechDir, role: 'download', settings: requireEncryption });
  peers.push(leecher);
  await announced(swarm.metainfo, leecher.port, false);
  const events: PeerEvent[] = [];
  torrent.on('peer', (event) => events.push(event));
  torrent.addPeer({ host: '127.0.0.1', port: leecher.port });
  await leecher.whenComplete(transferTimeoutMs);
  expect(events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(/^Transmission/i) });
  await expectSameFiles(swarm, 'to-transmission');
});

it('Transmission requiring encryption seeds to our leecher', async () => {
  const swarm = await makeCase('from-transmission');
  const seeder = await startTransmissionPeer({ torrentPath: swarm.torrentPath, directory: swarm.seedDir, role: 'seed', settings: requireEncryption });
  peers.push(seeder);
  await announced(swarm.metainfo, seeder.port, true);
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  await session.listen();
  const torrent = await session.add({
    metainfo: swarm.metainfo,
    store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.leechDir }),
    peers: [{ host: '127.0.0.1', port: seeder.port }],
  });
  const events: PeerEvent[] = [];
  torrent.on('peer', (event) => events.push(event));
  await torrent.whenComplete();
  expect(events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(/^Transmission/i) });
  await expectSameFiles(swarm, 'from-transmission');
});
