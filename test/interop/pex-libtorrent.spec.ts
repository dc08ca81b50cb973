import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, MemoryPieceStore, type PeerEvent, Session } from '@seedfleet/engine';
import { createTorrentFromPath, parseTorrent, toMagnet } from '@seedfleet/metainfo';
import { createTempDir, type TempDir, waitFor, writeFileTree } from '@seedfleet/testing';
import { LtMagnetPeer } from './magnet-lt-process';

jest.setTimeout(180_000);

let dir: TempDir;
const peers: LtMagnetPeer[] = [];
const sessions: Session[] = [];
beforeEach(async () => {
  dir = await createTempDir('seedfleet-pex-');
});
afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.stop();
  for (const session of sessions.splice(0)) await session.close();
  await dir.remove();
});

async function torrent(size: number): Promise<{ torrentPath: string; magnet: string }> {
  await writeFileTree(join(dir.path, 'seed'), [{ path: 'pack.bin', size }]);
  const created = await createTorrentFromPath(join(dir.path, 'seed', 'pack.bin'), { version: 'v1', pieceLength: 16 * 1024 });
  const torrentPath = join(dir.path, 'pack.torrent');
  await writeFile(torrentPath, created.torrent);
  return { torrentPath, magnet: toMagnet(parseTorrent(created.torrent)) };
}

async function session(options: ConstructorParameters<typeof Session>[0] = {}): Promise<{ session: Session; port: number }> {
  const created = new Session({ host: '127.0.0.1', port: 0, ...options });
  sessions.push(created);
  return { session: created, port: (await created.listen()).port };
}

it('two libtorrent peers that only know our seeder find each other through our PEX', async () => {
  const { torrentPath, magnet } = await torrent(4 * 1024 * 1024);
  const metainfo = parseTorrent(readFileSync(torrentPath));
  // A slow seeder keeps both leechers downloading (and so connected) while PEX goes round.
  const ours = await session({ maxUpRate: 256 * 1024 });
  await ours.session.add({ metainfo, store: new FileStore({ metainfo, directory: join(dir.path, 'seed') }), seedOnly: true });
  const first = await LtMagnetPeer.start({ magnet, dir: join(dir.path, 'lt1'), peers: [{ host: '127.0.0.1', port: ours.port }] });
  const second = await LtMagnetPeer.start({ magnet, dir: join(dir.path, 'lt2'), peers: [{ host: '127.0.0.1', port: ours.port }] });
  peers.push(first, second);
  const viaPex = (peer: LtMagnetPeer, other: LtMagnetPeer): boolean =>
    peer.lastProgress()?.peers.some((entry) => entry.pex && entry.address.endsWith(`:${other.port}`)) ?? false;
  // Whoever dials first learned the other from us; the dialed side sees an incoming peer.
  await waitFor('a libtorrent peer to list the other with source pex', async () => (viaPex(first, second) || viaPex(second, first) ? true : undefined), { timeoutMs: 60_000 });
});

it('our leecher learns a libtorrent peer it was never told of from libtorrent PEX', async () => {
  const { torrentPath, magnet } = await torrent(4 * 1024 * 1024);
  const metainfo = parseTorrent(readFileSync(torrentPath));
  const seeder = await LtMagnetPeer.start({ torrent: torrentPath, dir: join(dir.path, 'seed') });
  peers.push(seeder);
  // Without ut_pex itself it cannot learn of us and dial first: a connection to its port is ours, from PEX.
  // Slow, so it is still a leecher connected to the seeder (seeds drop each other) when we arrive.
  const hidden = await LtMagnetPeer.start({ magnet, dir: join(dir.path, 'hidden'), peers: [{ host: '127.0.0.1', port: seeder.port }], pex: false, downloadLimit: 64 * 1024 });
  await waitFor('the hidden peer to be connected to the seeder', async () => ((hidden.lastProgress()?.peers.length ?? 0) > 0 ? true : undefined), { timeoutMs: 30_000 });
  peers.push(hidden);
  const ours = await session({ maxDownRate: 64 * 1024 });
  const leecher = await ours.session.add({ metainfo, store: new MemoryPieceStore(metainfo), peers: [{ host: '127.0.0.1', port: seeder.port }] });
  const events: PeerEvent[] = [];
  leecher.on('peer', (event) => events.push(event));
  // libtorrent sends PEX once a minute per peer (here the first one arrived after about 60 s).
  await waitFor('our leecher to connect to the peer libtorrent told it of', async () => (events.some((event) => event.type === 'connected' && event.address.endsWith(`:${hidden.port}`)) ? true : undefined), { timeoutMs: 120_000 });
});
