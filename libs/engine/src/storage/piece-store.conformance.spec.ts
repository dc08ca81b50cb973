import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { createTempDir } from '@seedfleet/testing';
import { FileStore } from './file-store';
import { MemoryPieceStore } from './memory-store';
import { describePieceStore } from './testing/piece-store-conformance';
import { type TorrentSpec, torrentOnDisk } from './testing/torrent-on-disk';

// Hybrid with pad files, an empty file and pieces spanning files in v1 order: the layout with the most edges.
const spec: TorrentSpec = {
  name: 'conformance',
  version: 'hybrid',
  pieceLength: 16384,
  files: [
    { path: 'a.bin', size: 40_000 },
    { path: 'empty', size: 0 },
    { path: 'sub/b.bin', size: 5_000 },
    { path: 'sub/c.bin', size: 70_001 },
  ],
};

let pool: HashPool;
beforeAll(() => (pool = new HashPool({ size: 1 })));
afterAll(() => pool.close());

async function fixture() {
  const dir = await createTempDir('seedfleet-storage-conformance-');
  const torrent = await torrentOnDisk(dir.path, spec, pool);
  return { dir, torrent };
}

describePieceStore('FileStore', async () => {
  const { dir, torrent } = await fixture();
  const make = () => new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), maxWriteBytes: 32768 });
  return { store: make(), pieces: torrent.pieces, reopen: make, cleanup: () => dir.remove() };
});

describePieceStore('FileStore without preallocation', async () => {
  const { dir, torrent } = await fixture();
  const make = () => new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), preallocate: 'none', maxOpenFiles: 1 });
  return { store: make(), pieces: torrent.pieces, reopen: make, cleanup: () => dir.remove() };
});

describePieceStore('MemoryPieceStore', async () => {
  const { dir, torrent } = await fixture();
  const store = new MemoryPieceStore(torrent.metainfo);
  return { store, pieces: torrent.pieces, reopen: () => store, cleanup: () => dir.remove() };
});
