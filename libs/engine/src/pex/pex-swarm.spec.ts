import { HashPool } from '@seedfleet/hashing';
import { createTorrent, type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { waitFor } from '@seedfleet/testing';
import { Session } from '../session/session';
import { MemoryPieceStore } from '../storage/memory-store';
import { seededBytes } from '../testing';
import type { PeerEvent } from '../torrent';

jest.setTimeout(60_000);

const sessions: Session[] = [];
let pool: HashPool | undefined;
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  await pool?.close();
  pool = undefined;
});

async function open(options: { maxUpRate?: number } = {}): Promise<{ session: Session; port: number }> {
  pool ??= new HashPool({ size: 2 });
  const session = new Session({ host: '127.0.0.1', port: 0, hashPool: pool, ...options });
  sessions.push(session);
  return { session, port: (await session.listen()).port };
}

async function torrentOf(content: Buffer, isPrivate: boolean): Promise<Metainfo> {
  const created = await createTorrent([{ path: [], length: content.length, open: async function* () { yield content; } }], { name: 'pex.bin', pieceLength: 16 * 1024, version: 'v1', private: isPrivate });
  return parseTorrent(created.torrent);
}

/** A slow seeder and two leechers that know only the seeder: does one dial the other? */
async function twoLeechersOneSeeder(isPrivate: boolean) {
  const content = seededBytes(2 * 1024 * 1024, `pex-${isPrivate}`);
  const metainfo = await torrentOf(content, isPrivate);
  // Slow enough that both leechers are still downloading when the first PEX round goes out (1 s).
  const seeder = await open({ maxUpRate: 256 * 1024 });
  await seeder.session.add({ metainfo, store: new MemoryPieceStore(metainfo, content), seedOnly: true });
  const leechers = [await open(), await open()];
  const events: PeerEvent[][] = [[], []];
  const torrents = await Promise.all(
    leechers.map(async (leecher, at) => {
      const torrent = await leecher.session.add({ metainfo, store: new MemoryPieceStore(metainfo), peers: [{ host: '127.0.0.1', port: seeder.port }] });
      torrent.on('peer', (event) => events[at].push(event));
      return torrent;
    }),
  );
  const metEachOther = (): boolean =>
    events[0].some((event) => event.type === 'connected' && event.address.endsWith(`:${leechers[1].port}`)) ||
    events[1].some((event) => event.type === 'connected' && event.address.endsWith(`:${leechers[0].port}`));
  return { torrents, metEachOther };
}

it('leechers that only know the seeder find each other through its PEX', async () => {
  const { metEachOther } = await twoLeechersOneSeeder(false);
  await waitFor('the leechers to connect to each other', async () => (metEachOther() ? true : undefined), { timeoutMs: 30_000 });
});

it('a private torrent exchanges no peers: the leechers never meet', async () => {
  const { torrents, metEachOther } = await twoLeechersOneSeeder(true);
  await Promise.all(torrents.map((torrent) => torrent.whenComplete()));
  expect(metEachOther()).toBe(false);
});
