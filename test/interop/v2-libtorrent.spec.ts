import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, systemPython, type TempDir } from '@seedfleet/testing';
import { FileStore, type PeerEvent, Session } from '../../libs/engine/src';

// BEP 52 against libtorrent 2.0.8 over loopback, real processes and real files: a v2-only and a hybrid
// multi-file torrent made by libtorrent, downloaded by our Session from a libtorrent seeder and seeded by
// our Session to a libtorrent leecher (which greets a v2-only torrent with the truncated SHA-256 info hash,
// and asks for whole 16 KiB blocks past a file's short last piece: the pad space, served as zeros).
jest.setTimeout(120_000);

const script = join(__dirname, 'v2-libtorrent-peer.py');
const pieceLength = 64 * 1024;
// Several pieces with a short last one, a file smaller than a piece, one of exactly a block.
const files: [string, number][] = [
  ['a.bin', 5 * pieceLength + 4321],
  ['b.bin', 20_000],
  ['c.bin', 16 * 1024],
  ['d.bin', 2 * pieceLength],
];

interface Seeded {
  port: number;
  torrent: string;
  v1: string | null;
  v2: string | null;
}

let dir: TempDir;
const children: ChildProcessWithoutNullStreams[] = [];
const sessions: Session[] = [];
const dirs: TempDir[] = [];

beforeEach(async () => {
  dir = await createTempDir('seedfleet-interop-v2-');
  dirs.push(dir);
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await Promise.all(dirs.splice(0).map((each) => each.remove()));
});

/** Starts the script and resolves with the first JSON line it prints. */
async function runLibtorrent<T>(args: object): Promise<T> {
  const child = spawn(systemPython, [script, JSON.stringify(args)]);
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`libtorrent script exited with ${code}: ${stderr}`)));
  });
  return JSON.parse(line) as T;
}

async function startSession(): Promise<{ session: Session; port: number }> {
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  const { port } = await session.listen();
  return { session, port };
}

async function expectSameFiles(from: string, to: string): Promise<void> {
  for (const [name] of files) expect((await readFile(join(to, 'content', name))).equals(await readFile(join(from, 'content', name)))).toBe(true);
}

it.each(['v2', 'hybrid'] as const)('our Session downloads a %s torrent from a libtorrent seeder', async (version) => {
  const seeded = await runLibtorrent<Seeded>({ mode: 'seed', dir: dir.path, files, pieceLength, version });
  const metainfo = parseTorrent(await readFile(seeded.torrent));
  expect(metainfo.version).toBe(version);
  expect(metainfo.infoHashV2?.toString('hex')).toBe(seeded.v2);
  const { session } = await startSession();
  const target = await createTempDir('seedfleet-interop-v2-leech-');
  dirs.push(target);
  const torrent = await session.add({ metainfo, store: new FileStore({ metainfo, directory: target.path }), peers: [{ host: '127.0.0.1', port: seeded.port }] });
  const peers: PeerEvent[] = [];
  torrent.on('peer', (event) => peers.push(event));
  await torrent.whenComplete();
  expect(peers[0]).toMatchObject({ type: 'connected', client: expect.stringMatching(/^libtorrent 2\.0/) });
  await session.close();
  await expectSameFiles(dir.path, target.path);
  const total = files.reduce((sum, [, size]) => sum + size, 0);
  expect(torrent.progress()).toMatchObject({ downloaded: total, total });
});

it.each(['v2', 'hybrid'] as const)('a libtorrent leecher downloads a %s torrent from our seeding Session', async (version) => {
  // libtorrent makes the torrent and its files; it seeds to nobody here: the leecher knows only our address.
  const maker = await runLibtorrent<Seeded>({ mode: 'seed', dir: dir.path, files, pieceLength, version });
  const metainfo = parseTorrent(await readFile(maker.torrent));
  const { session, port } = await startSession();
  // Our seeder checks libtorrent's files against the torrent's hashes (v2: the merkle trees) before seeding.
  const seeding = await session.add({ metainfo, store: new FileStore({ metainfo, directory: dir.path }), seedOnly: true });
  await seeding.whenComplete();
  const incoming: PeerEvent[] = [];
  seeding.on('peer', (event) => incoming.push(event));

  const target = await createTempDir('seedfleet-interop-v2-lt-leech-');
  dirs.push(target);
  const leech = await runLibtorrent<{ done: boolean; state: string }>({ mode: 'leech', torrent: maker.torrent, dir: target.path, peer: ['127.0.0.1', port], timeout: 90 });
  expect(leech).toMatchObject({ done: true });
  await expectSameFiles(dir.path, target.path);
  expect(incoming.some((event) => event.type === 'connected' && event.client?.startsWith('libtorrent 2.0'))).toBe(true);
  expect(seeding.progress().uploaded).toBeGreaterThanOrEqual(files.reduce((sum, [, size]) => sum + size, 0));
});

it('our Session joins a v2-only torrent from a btmh magnet: metadata and then piece layers (hash requests) from a libtorrent seeder', async () => {
  const seeded = await runLibtorrent<Seeded>({ mode: 'seed', dir: dir.path, files, pieceLength, version: 'v2' });
  const { session } = await startSession();
  const target = await createTempDir('seedfleet-interop-v2-magnet-');
  dirs.push(target);
  const magnet = session.addMagnet(`magnet:?xt=urn:btmh:1220${seeded.v2}&x.pe=127.0.0.1:${seeded.port}`, {
    store: (metainfo) => new FileStore({ metainfo, directory: target.path }),
  });
  const fetched = new Promise<Metainfo>((resolve) => magnet.on('metadata', ({ metainfo }) => resolve(metainfo)));
  await magnet.whenComplete();
  const metainfo = await fetched;
  expect(metainfo.version).toBe('v2');
  // The reference .torrent's layers, which the info dict alone does not carry, were fetched and proven.
  const reference = parseTorrent(await readFile(seeded.torrent));
  expect(reference.pieceLayers.size).toBeGreaterThan(0);
  for (const [root, layer] of reference.pieceLayers) expect(metainfo.pieceLayers.get(root)?.equals(layer)).toBe(true);
  await session.close();
  await expectSameFiles(dir.path, target.path);
});
