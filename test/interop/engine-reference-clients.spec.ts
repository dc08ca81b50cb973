import { join } from 'node:path';
import type { Metainfo } from '@seedfleet/metainfo';
import {
  createTempDir,
  type ReferencePeer,
  sha256Tree,
  startAria2Peer,
  startTestTracker,
  startTransmissionPeer,
  type StartPeerOptions,
  type TempDir,
  type TestTracker,
  writeFileTree,
} from '@seedfleet/testing';
import { FileStore, type PeerEvent, Session, type Torrent } from '@seedfleet/engine';
import { createOurTorrent } from './our-torrent';

// Our Session against Transmission 3.00 and aria2 1.36, both ways, on loopback. Each pairing is its own
// multi-file v1 swarm (odd file sizes, so the last piece and file boundaries fall mid-block) that meets
// through an in-process tracker; the downloader's files must hash (SHA-256) like the seeder's.
jest.setTimeout(120_000);

const transferTimeoutMs = 90_000;
const pieceLength = 256 * 1024;
const MiB = 1024 * 1024;

let dir: TempDir;
let tracker: TestTracker;
const peers: ReferencePeer[] = [];
const sessions: Session[] = [];

beforeAll(async () => {
  dir = await createTempDir('seedfleet-interop-engine-clients-');
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

interface SwarmCase {
  readonly name: string;
  readonly metainfo: Metainfo;
  readonly infoHash: string;
  readonly torrentPath: string;
  /** Content is seedDir/<name>/... */
  readonly seedDir: string;
  readonly leechDir: string;
}

/** A tree of ~20 MiB in three files of odd sizes, and a v1 torrent of it announcing to the tracker. */
async function swarmCase(name: string): Promise<SwarmCase> {
  const seedDir = join(dir.path, name, 'seed');
  await writeFileTree(seedDir, [
    { path: `${name}/big.bin`, size: 11 * MiB + 12_345, seed: `${name}-big` },
    { path: `${name}/sub/middle.bin`, size: 7 * MiB + 7, seed: `${name}-middle` },
    { path: `${name}/sub/deeper/small.bin`, size: 2 * MiB - 333, seed: `${name}-small` },
  ]);
  const torrentPath = join(dir.path, name, `${name}.torrent`);
  const metainfo = await createOurTorrent(join(seedDir, name), torrentPath, 'v1', pieceLength, { trackers: [[tracker.url]] });
  return { name, metainfo, infoHash: metainfo.infoHashV1!.toString('hex'), torrentPath, seedDir, leechDir: join(dir.path, name, 'leech') };
}

async function ourSession(): Promise<Session> {
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  await session.listen();
  return session;
}

async function startPeer(start: (options: StartPeerOptions) => Promise<ReferencePeer>, options: StartPeerOptions): Promise<ReferencePeer> {
  const peer = await start(options);
  peers.push(peer);
  return peer;
}

/** The announce a peer on `port` made for the swarm, once the tracker has it (left=0: as a seeder). */
function announced(swarm: SwarmCase, port: number, seeder: boolean): Promise<unknown> {
  return tracker.waitForAnnounce((announce) => announce.infoHash === swarm.infoHash && announce.port === port && (announce.left === 0) === seeder, transferTimeoutMs);
}

async function expectSameFiles(swarm: SwarmCase): Promise<void> {
  const source = await sha256Tree(join(swarm.seedDir, swarm.name));
  expect(source.size).toBe(3);
  expect(await sha256Tree(join(swarm.leechDir, swarm.name))).toEqual(source);
}

/** Our leecher on disk; it finds the seeder through the tracker. */
async function ourDownload(swarm: SwarmCase, expectedClient: RegExp): Promise<Torrent> {
  const session = await ourSession();
  const torrent = await session.add({ metainfo: swarm.metainfo, store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.leechDir }) });
  const events: PeerEvent[] = [];
  torrent.on('peer', (event) => events.push(event));
  await withTimeout(torrent.whenComplete(), transferTimeoutMs, () => `our download (${JSON.stringify(torrent.progress())}, peer events ${JSON.stringify(events)})`);
  expect(events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(expectedClient) });
  expect(torrent.progress()).toMatchObject({ state: 'seeding', downloaded: swarm.metainfo.totalSize, total: swarm.metainfo.totalSize });
  return torrent;
}

/** Our seeder on the source files, hash-checked like any restart (no seedOnly shortcut). */
async function ourSeed(swarm: SwarmCase): Promise<{ session: Session; torrent: Torrent }> {
  const session = await ourSession();
  const torrent = await session.add({ metainfo: swarm.metainfo, store: new FileStore({ metainfo: swarm.metainfo, directory: swarm.seedDir }) });
  await withTimeout(torrent.whenComplete(), transferTimeoutMs, () => 'our seeder to check its files');
  expect(torrent.state).toBe('seeding');
  return { session, torrent };
}

interface PeerWatch {
  readonly events: PeerEvent[];
  /** Rejects when we drop a peer for breaking the protocol: the only leecher of the swarm would then stall. */
  readonly protocolDrop: Promise<never>;
}

function watchPeers(torrent: Torrent): PeerWatch {
  const events: PeerEvent[] = [];
  let drop!: (error: Error) => void;
  const protocolDrop = new Promise<never>((_, reject) => (drop = reject));
  protocolDrop.catch(() => undefined); // Only raced while a transfer runs.
  torrent.on('peer', (event) => {
    events.push(event);
    if (event.type === 'disconnected' && event.reason?.startsWith('protocol')) drop(new Error(`our seeder dropped ${event.client ?? 'a peer'} at ${event.address}: ${event.reason}`));
  });
  return { events, protocolDrop };
}

/** The reference leecher completes; fails at once if our seeder drops it for a protocol error. */
async function uploadTo(leecher: ReferencePeer, watch: PeerWatch): Promise<void> {
  try {
    await Promise.race([leecher.whenComplete(transferTimeoutMs), watch.protocolDrop]);
  } catch (error) {
    const progress = await leecher.progress().catch(() => undefined);
    throw new Error(`${(error as Error).message}; ${leecher.client} progress ${JSON.stringify(progress)}; our seeder's peer events ${JSON.stringify(watch.events)}`);
  }
  expect(watch.events.find((event) => event.type === 'connected')).toMatchObject({ client: expect.stringMatching(new RegExp(`^${leecher.client}`, 'i')) });
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

it('our Session downloads a multi-file torrent from a Transmission seeder', async () => {
  const swarm = await swarmCase('from-transmission');
  const seeder = await startPeer(startTransmissionPeer, { torrentPath: swarm.torrentPath, directory: swarm.seedDir, role: 'seed' });
  // Our leecher learns of Transmission from its first announce only if Transmission is registered by then.
  await announced(swarm, seeder.port, true);
  await ourDownload(swarm, /^Transmission 3\.00/i);
  await expectSameFiles(swarm);
});

it('our Session downloads a multi-file torrent from an aria2 seeder', async () => {
  const swarm = await swarmCase('from-aria2');
  const seeder = await startPeer(startAria2Peer, { torrentPath: swarm.torrentPath, directory: swarm.seedDir, role: 'seed' });
  await announced(swarm, seeder.port, true);
  await ourDownload(swarm, /^aria2/i);
  await expectSameFiles(swarm);
});

it('Transmission downloads a multi-file torrent from our seeding Session', async () => {
  const swarm = await swarmCase('to-transmission');
  const { torrent } = await ourSeed(swarm);
  const leecher = await startPeer(startTransmissionPeer, { torrentPath: swarm.torrentPath, directory: swarm.leechDir, role: 'download' });
  // Transmission drops 127.x peers from tracker answers, so we dial it once its torrent is running (it
  // announced) on the address its wrapper binds it to.
  await announced(swarm, leecher.port, false);
  const events = watchPeers(torrent);
  torrent.addPeer({ host: '127.0.0.1', port: leecher.port });
  await uploadTo(leecher, events);
  expect(await leecher.progress()).toMatchObject({ downloaded: swarm.metainfo.totalSize, total: swarm.metainfo.totalSize });
  expect(torrent.progress().uploaded).toBeGreaterThanOrEqual(swarm.metainfo.totalSize);
  await expectSameFiles(swarm);
});

it('aria2 downloads a multi-file torrent from our seeding Session', async () => {
  const swarm = await swarmCase('to-aria2');
  const { session, torrent } = await ourSeed(swarm);
  // aria2 finds peers only through the tracker: our seeder must be registered before aria2's first announce.
  await announced(swarm, session.port, true);
  const events = watchPeers(torrent);
  const leecher = await startPeer(startAria2Peer, { torrentPath: swarm.torrentPath, directory: swarm.leechDir, role: 'download' });
  await uploadTo(leecher, events);
  expect(await leecher.progress()).toMatchObject({ downloaded: swarm.metainfo.totalSize, total: swarm.metainfo.totalSize });
  expect(torrent.progress().uploaded).toBeGreaterThanOrEqual(swarm.metainfo.totalSize);
  await expectSameFiles(swarm);
});
