import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, systemPython, type TempDir } from '@seedfleet/testing';
import { MemoryPieceStore, type PeerEvent, Session } from '../../libs/engine/src';
import { storeContent } from '../../libs/engine/src/testing';

// Our Session against libtorrent 2.0 over loopback: we download a v1 and a hybrid torrent from a
// libtorrent seeder, and libtorrent downloads from our seeding Session. Bytes are compared with the source.
jest.setTimeout(120_000);

const script = join(__dirname, 'engine-libtorrent-peer.py');
const size = 6 * 1024 * 1024 + 4321;
const pieceLength = 256 * 1024;

let dir: TempDir;
const children: ChildProcessWithoutNullStreams[] = [];
const sessions: Session[] = [];

beforeEach(async () => {
  dir = await createTempDir('seedfleet-interop-download-');
});

afterEach(async () => {
  await Promise.all(sessions.splice(0).map((session) => session.close()));
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await dir.remove();
});

/** Starts the script and resolves with the first JSON line it prints. */
async function runLibtorrent<T>(args: object): Promise<{ child: ChildProcessWithoutNullStreams; first: T }> {
  const child = spawn(systemPython, [script, JSON.stringify(args)]);
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`libtorrent script exited with ${code}: ${stderr}`)));
  });
  return { child, first: JSON.parse(line) as T };
}

it.each(['v1', 'hybrid'] as const)('our Session downloads a %s torrent from a libtorrent seeder', async (version) => {
  const seeded = await runLibtorrent<{ port: number; torrent: string }>({ mode: 'seed', dir: dir.path, size, pieceLength, version });
  const metainfo = parseTorrent(await readFile(seeded.first.torrent));
  expect(metainfo.version).toBe(version);
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  await session.listen();
  const store = new MemoryPieceStore(metainfo);
  const torrent = await session.add({ metainfo, store, peers: [{ host: '127.0.0.1', port: seeded.first.port }] });
  const peers: PeerEvent[] = [];
  torrent.on('peer', (event) => peers.push(event));
  await torrent.whenComplete();
  expect(peers[0]).toMatchObject({ type: 'connected', client: expect.stringMatching(/^libtorrent 2\.0/) });
  const source = await readFile(join(dir.path, 'payload.bin'));
  expect((await storeContent(store, metainfo)).subarray(0, size).equals(source)).toBe(true);
  expect(torrent.progress()).toMatchObject({ state: 'seeding', downloaded: size, total: size });
});

it.each(['v1', 'hybrid'] as const)('libtorrent downloads a %s torrent from our seeding Session', async (version) => {
  // libtorrent makes the torrent (and its bytes) so the .torrent is a reference one; it only seeds to
  // nobody here: the downloader below knows only our address.
  const maker = await runLibtorrent<{ port: number; torrent: string }>({ mode: 'seed', dir: dir.path, size, pieceLength, version });
  const metainfo = parseTorrent(await readFile(maker.first.torrent));
  const source = await readFile(join(dir.path, 'payload.bin'));
  const session = new Session({ host: '127.0.0.1' });
  sessions.push(session);
  const { port } = await session.listen();
  const seeding = await session.add({ metainfo, store: new MemoryPieceStore(metainfo, source), seedOnly: true });

  const target = await createTempDir('seedfleet-interop-libtorrent-leech-');
  try {
    const leech = await runLibtorrent<{ done: boolean; state: string }>({ mode: 'leech', torrent: maker.first.torrent, dir: target.path, peer: ['127.0.0.1', port], timeout: 90 });
    expect(leech.first).toMatchObject({ done: true });
    expect((await readFile(join(target.path, 'payload.bin'))).equals(source)).toBe(true);
    expect(seeding.progress().uploaded).toBeGreaterThanOrEqual(size);
    expect(seeding.state).toBe('seeding');
  } finally {
    await target.remove();
  }
});
