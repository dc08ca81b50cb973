import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HashPool } from '@seedfleet/hashing';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { FileStore } from './file-store';
import { recheck } from './load-verified';
import { PieceVerifier } from './piece-verifier';
import { type TorrentOnDisk, torrentOnDisk } from './testing/torrent-on-disk';

const run = promisify(execFile);

// Seeding from data the process may not write: a tmpfs remounted read-only (EROFS applies even to root,
// unlike file modes).
let pool: HashPool;
let dir: TempDir;
let torrent: TorrentOnDisk;
let mounted = false;
beforeAll(async () => {
  pool = new HashPool({ size: 1 });
  dir = await createTempDir('seedfleet-read-only-');
  const mountPoint = join(dir.path, 'seed');
  await mkdir(mountPoint);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    mounted = true;
  } catch (error) {
    throw new Error(`this test mounts a tmpfs read-only and needs root: ${(error as Error).message}`);
  }
  torrent = await torrentOnDisk(dir.path, { name: 'data', version: 'hybrid', pieceLength: 16384, files: [{ path: 'a', size: 40_000 }, { path: 'b', size: 9_000 }] }, pool);
  await run('mount', ['-o', 'remount,ro', mountPoint]);
});
afterAll(async () => {
  if (mounted) await run('umount', [join(dir.path, 'seed')]).catch(() => undefined);
  await dir.remove();
  await pool.close();
});

describe('FileStore over read-only data', () => {
  it('opens, rechecks and serves every piece; a write fails with an io error naming the file', async () => {
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    await store.open();
    const result = await recheck({ metainfo: torrent.metainfo, store, verifier: new PieceVerifier(torrent.metainfo, pool) });
    expect(result.have.isFull).toBe(true);
    expect((await store.readBlock(1, 100, 50)).equals(torrent.pieces[1].subarray(100, 150))).toBe(true);
    await expect(store.writePiece(0, Buffer.from(torrent.pieces[0]))).rejects.toMatchObject({
      name: 'StorageError',
      code: 'io',
      path: join(torrent.directory, 'data', 'a'),
      message: expect.stringMatching(/EROFS/),
    });
    await store.close();
  });
});
