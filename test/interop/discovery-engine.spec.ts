import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createTorrent, parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type Opentracker, type ScriptedPeer, startLibtorrentPeer, startOpentracker, type TempDir, waitFor } from '@seedfleet/testing';
import { MemoryPieceStore, Session, type SessionOptions } from '../../libs/engine/src';
import { storeContent } from '../../libs/engine/src/testing';

// Peer discovery with real processes and sockets: our engine downloads from a libtorrent seeder found
// through opentracker; two of our sessions find each other with LSD only on the real BEP 14 group (as
// the CLI runs it); a libtorrent seeder bootstraps from our DHT node and we find it there.
jest.setTimeout(200_000);

const size = 3 * 1024 * 1024 + 777;
const pieceLength = 256 * 1024;

let dir: TempDir;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  dir = await createTempDir('seedfleet-interop-discovery-');
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await dir.remove();
});

/** A v1 torrent over `name`'s bytes in dir (written there), with the given announce URL. */
async function makeTorrent(name: string, announce?: string): Promise<{ torrentPath: string; content: Buffer }> {
  const content = deterministicBytes(size, name);
  await writeFile(join(dir.path, name), content);
  const created = await createTorrent([{ path: [], length: size, open: async function* () { yield content; } }], {
    name,
    pieceLength,
    version: 'v1',
    ...(announce ? { trackers: [[announce]] } : {}),
  });
  const torrentPath = join(dir.path, `${name}.torrent`);
  await writeFile(torrentPath, created.torrent);
  return { torrentPath, content };
}

async function session(options: SessionOptions): Promise<Session> {
  const started = new Session({ port: 0, ...options });
  cleanups.push(() => started.close());
  await started.listen();
  return started;
}

async function libtorrent(options: Parameters<typeof startLibtorrentPeer>[0]): Promise<ScriptedPeer> {
  const peer = await startLibtorrentPeer(options);
  cleanups.push(() => peer.stop());
  return peer;
}

it('our Session downloads from a libtorrent seeder it learns of from opentracker (HTTP)', async () => {
  const tracker: Opentracker = await startOpentracker();
  cleanups.push(() => tracker.stop());
  const { torrentPath, content } = await makeTorrent('tracked.bin', tracker.url);
  const metainfo = parseTorrent(await readFile(torrentPath));
  const infoHash = metainfo.infoHashV1!.toString('hex');
  await tracker.allow([infoHash]);
  await libtorrent({ torrentPath, directory: dir.path, role: 'seed' });
  await tracker.waitForSwarm(infoHash, { complete: 1 }, 30_000);

  const ours = await session({ host: '127.0.0.1' });
  const store = new MemoryPieceStore(metainfo);
  const torrent = await ours.add({ metainfo, store });
  await torrent.whenComplete();
  expect((await storeContent(store, metainfo)).subarray(0, size).equals(content)).toBe(true);
});

it('two of our sessions find each other with LSD only on the BEP 14 multicast group and complete', async () => {
  const { torrentPath, content } = await makeTorrent('lan.bin');
  const metainfo = parseTorrent(await readFile(torrentPath));
  const errors: string[] = [];
  const onDiscoveryError = (error: Error): void => void errors.push(error.message);
  // Default groups (239.192.152.143:6771 and [ff15::efc0:988f]:6771) and interfaces, as `seedfleet get` uses them.
  const seeder = await session({ lsd: true, onDiscoveryError });
  await seeder.add({ metainfo, store: new MemoryPieceStore(metainfo, content), seedOnly: true });
  const leecher = await session({ lsd: true, onDiscoveryError });
  const store = new MemoryPieceStore(metainfo);
  const torrent = await leecher.add({ metainfo, store });
  await torrent.whenComplete();
  expect((await storeContent(store, metainfo)).subarray(0, size).equals(content)).toBe(true);
  // The IPv4 group must have worked; the IPv6 one may not exist on this host.
  expect(errors.filter((message) => !message.includes('ff15::'))).toEqual([]);
});

/** libtorrent runs its DHT on non-loopback interfaces only, so the two nodes meet on this host's LAN address. */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry !== undefined && entry.family === 'IPv4' && !entry.internal)?.address;

(lanAddress ? it : it.skip)('a libtorrent seeder announces through our DHT node (its only bootstrap node); our session finds it there and downloads', async () => {
  const { torrentPath, content } = await makeTorrent('dht.bin');
  const metainfo = parseTorrent(await readFile(torrentPath));
  // Our node listens on all IPv4 addresses, and so does libtorrent: it runs no DHT on a loopback socket.
  const ours = await session({ host: '0.0.0.0', dht: { bootstrap: [] } });
  await libtorrent({
    torrentPath,
    directory: dir.path,
    role: 'seed',
    settings: {
      listen_interfaces: '0.0.0.0:0',
      enable_dht: true,
      dht_bootstrap_nodes: `${lanAddress}:${ours.dhtPort}`,
      dht_restrict_routing_ips: false,
      dht_restrict_search_ips: false,
      dht_ignore_dark_internet: false,
      dht_prefer_verified_node_ids: false,
    },
  });
  await waitFor('libtorrent’s DHT node in our routing table', async () => (ours.dhtNodeCount > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 100 });

  // A downloading torrent without peers asks the DHT again every minute, so a lookup made before
  // libtorrent's announce_peer reached our node is retried.
  const store = new MemoryPieceStore(metainfo);
  const torrent = await ours.add({ metainfo, store });
  const clients: string[] = [];
  torrent.on('peer', (event) => {
    if (event.type === 'connected' && event.client !== undefined) clients.push(event.client);
  });
  await torrent.whenComplete();
  expect((await storeContent(store, metainfo)).subarray(0, size).equals(content)).toBe(true);
  expect(clients.some((client) => client.startsWith('libtorrent'))).toBe(true);
});
