import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore, generatePeerId, MetadataDownload, MetadataError, Session } from '@seedfleet/engine';
import { createTorrentFromPath, parseMagnet, parseTorrent, toMagnet } from '@seedfleet/metainfo';
import { createTempDir, sha256File, type TempDir, waitFor, writeFileTree } from '@seedfleet/testing';
import { commands } from '../../apps/cli/src/commands/registry';
import { run } from '../../apps/cli/src/run';
import { captureIo } from '../../apps/cli/src/test-support/capture-io';
import { LtMagnetPeer } from './magnet-lt-process';

jest.setTimeout(120_000);

let dir: TempDir;
const peers: LtMagnetPeer[] = [];
beforeEach(async () => {
  dir = await createTempDir('seedfleet-magnet-');
});
afterEach(async () => {
  for (const peer of peers.splice(0)) await peer.stop();
  await dir.remove();
});

/** ~3 MiB in one file, hybrid, 16 KiB pieces: a ~4 KB + 6 KB info dict, more than one metadata piece. */
async function hybridTorrent(): Promise<{ torrentPath: string; magnet: string; content: string; infoHash: string }> {
  await writeFileTree(join(dir.path, 'seed'), [{ path: 'pack.bin', size: 3 * 1024 * 1024 + 4321 }]);
  const content = join(dir.path, 'seed', 'pack.bin');
  const created = await createTorrentFromPath(content, { version: 'hybrid', pieceLength: 16 * 1024 });
  const torrentPath = join(dir.path, 'pack.torrent');
  await writeFile(torrentPath, created.torrent);
  const metainfo = parseTorrent(created.torrent);
  return { torrentPath, magnet: toMagnet(metainfo), content, infoHash: metainfo.infoHashV1!.toString('hex') };
}

it('seedfleet get <magnet> fetches the metadata from a libtorrent seeder (btih+btmh verified), downloads, and reuses it on restart', async () => {
  const { torrentPath, magnet, content, infoHash } = await hybridTorrent();
  const seeder = await LtMagnetPeer.start({ torrent: torrentPath, dir: join(dir.path, 'seed') });
  peers.push(seeder);
  const withPeer = `${magnet}&x.pe=127.0.0.1:${seeder.port}`;
  expect(withPeer).toMatch(/xt=urn:btmh:1220/);
  const out = join(dir.path, 'out');

  const io = captureIo({ cwd: dir.path });
  const code = await run(['get', withPeer, '-o', out, '--port', '0'], io, commands);
  expect(io.err()).toMatch(/fetching the torrent's metadata/);
  expect(code).toBe(0);
  expect(await sha256File(join(out, 'pack.bin'))).toBe(await sha256File(content));
  const saved = join(out, '.seedfleet', `${infoHash}.torrent`);
  expect(existsSync(saved)).toBe(true);
  expect(readFileSync(saved).includes(Buffer.from('4:info'))).toBe(true);

  // The second run reads the saved .torrent: no fetch, and the data is already complete.
  await seeder.stop();
  peers.splice(0);
  const again = captureIo({ cwd: dir.path });
  expect(await run(['get', magnet, '-o', out, '--port', '0'], again, commands)).toBe(0);
  expect(again.err()).not.toMatch(/fetching the torrent's metadata/);
});

it('a magnet with a wrong btmh next to the right btih is refused: the dict must match both', async () => {
  const { torrentPath, magnet } = await hybridTorrent();
  const seeder = await LtMagnetPeer.start({ torrent: torrentPath, dir: join(dir.path, 'seed') });
  peers.push(seeder);
  const forged = parseMagnet(magnet);
  forged.infoHashV2 = Buffer.alloc(32, 0xab);
  forged.peers.push(`127.0.0.1:${seeder.port}`);
  const disconnects: string[] = [];
  const download = new MetadataDownload({
    magnet: forged,
    peerId: generatePeerId(),
    flags: { extensionProtocol: true, fastExtension: true },
    port: () => 0,
    clock: () => performance.now(),
    random: Math.random,
    onPeer: (event) => event.type === 'disconnected' && disconnects.push(event.reason ?? ''),
  });
  const fetched = download.start();
  // libtorrent serves its real dict; it matches the btih but not the forged btmh, so the sender is dropped.
  await waitFor('the mismatching dict to be refused', async () => (disconnects.some((reason) => /does not match the info hash/.test(reason)) ? true : undefined), { timeoutMs: 30_000 });
  await download.stop();
  await expect(fetched).rejects.toBeInstanceOf(MetadataError);
});

it('libtorrent downloads from our seeder by magnet: the metadata comes from us', async () => {
  const { torrentPath, magnet, content } = await hybridTorrent();
  const metainfo = parseTorrent(readFileSync(torrentPath));
  const session = new Session({ host: '127.0.0.1', port: 0 });
  try {
    const { port } = await session.listen();
    const seeding = await session.add({ metainfo, store: new FileStore({ metainfo, directory: join(dir.path, 'seed') }) });
    await waitFor('our seeder to check its data', async () => (seeding.state === 'seeding' ? true : undefined), { timeoutMs: 30_000 });
    const leecher = await LtMagnetPeer.start({ magnet, dir: join(dir.path, 'lt'), peers: [{ host: '127.0.0.1', port }] });
    peers.push(leecher);
    await waitFor('libtorrent to complete', async () => (leecher.has('complete') ? true : leecher.has('error') ? Promise.reject(new Error(JSON.stringify(leecher.events.at(-1)))) : undefined), { timeoutMs: 60_000 });
    expect(leecher.has('metadata')).toBe(true);
    expect(await sha256File(join(dir.path, 'lt', 'pack.bin'))).toBe(await sha256File(content));
  } finally {
    await session.close();
  }
});
