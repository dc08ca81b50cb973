import { HashPool } from '@seedfleet/hashing';
import { toMagnet } from '@seedfleet/metainfo';
import { Session } from '../session/session';
import { MemoryPieceStore } from '../storage/memory-store';
import { makeTestTorrent, storeContent } from '../testing';

jest.setTimeout(60_000);

const sessions: Session[] = [];
let pool: HashPool | undefined;
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await pool?.close();
  pool = undefined;
});

async function open(): Promise<{ session: Session; port: number }> {
  pool ??= new HashPool({ size: 2 });
  const session = new Session({ host: '127.0.0.1', port: 0, hashPool: pool });
  sessions.push(session);
  return { session, port: (await session.listen()).port };
}

it('addMagnet fetches the dict from our own seeder, turns into a torrent and downloads it', async () => {
  // 2,048 pieces: a 40 KB dict, three metadata pieces.
  const torrent = await makeTestTorrent({ size: 2048 * 16 * 1024, pieceLength: 16 * 1024, seed: 'magnet-session' });
  const seeder = await open();
  await seeder.session.add({ metainfo: torrent.metainfo, store: torrent.seederStore(), seedOnly: true });
  const leecher = await open();
  let store: MemoryPieceStore | undefined;
  const magnet = leecher.session.addMagnet(`${toMagnet(torrent.metainfo)}&x.pe=127.0.0.1:${seeder.port}`, {
    store: (metainfo) => (store = new MemoryPieceStore(metainfo)),
  });
  expect(magnet.state).toBe('metadata');
  expect(magnet.progress().state).toBe('metadata');
  const metadata = new Promise((resolve) => magnet.on('metadata', resolve));
  await magnet.whenComplete();
  await metadata;
  expect(magnet.state).toBe('added');
  expect(magnet.torrent?.infoHash.equals(torrent.metainfo.infoHashV1!)).toBe(true);
  expect((await storeContent(store!, torrent.metainfo)).equals(torrent.content)).toBe(true);
  expect(leecher.session.get(torrent.metainfo.infoHashV1!)).toBe(magnet.torrent);
});

it('a stopped magnet rejects and leaves nothing in the session', async () => {
  const leecher = await open();
  const magnet = leecher.session.addMagnet(`magnet:?xt=urn:btih:${'ab'.repeat(20)}`, { store: (metainfo) => new MemoryPieceStore(metainfo) });
  const outcome = magnet.whenTorrent();
  await magnet.stop();
  await expect(outcome).rejects.toThrow(/stopped/);
  expect(leecher.session.list()).toEqual([]);
});
