import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HashPool } from '@seedfleet/hashing';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { Bitfield } from '@seedfleet/wire';
import { FileStore } from './file-store';
import { StorageError } from './piece-store';
import { saveResumeData } from './resume-file';
import { torrentOnDisk } from './testing/torrent-on-disk';

const run = promisify(execFile);

// A real full disk: a 256 KiB tmpfs mounted for this test (CI runs as root; mounting needs CAP_SYS_ADMIN).
let pool: HashPool;
let dir: TempDir;
let disk: string;
beforeAll(async () => {
  pool = new HashPool({ size: 1 });
  dir = await createTempDir('seedfleet-no-space-');
  disk = join(dir.path, 'small-disk');
  await mkdir(disk);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
  } catch (error) {
    throw new Error(`this test mounts a 256 KiB tmpfs to fill a disk for real and needs root: ${(error as Error).message}`);
  }
});
afterAll(async () => {
  await run('umount', [disk]).catch(() => undefined);
  await dir.remove();
  await pool.close();
});

describe('FileStore on a full disk', () => {
  it('diskSpace() tells up front that a torrent cannot fit, and how much more an almost-done one needs', async () => {
    const torrent = await torrentOnDisk(dir.path, { name: 'fit.bin', version: 'v1', pieceLength: 65536, files: [{ path: 'fit.bin', size: 1 << 20 }] }, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(disk, 'not-yet-created') });
    const before = await store.diskSpace();
    expect(before.needed).toBe(1 << 20);
    expect(before.available).toBeGreaterThan(200 * 1024);
    expect(before.available).toBeLessThanOrEqual(256 * 1024);
    await store.open();
    expect((await store.diskSpace()).needed).toBe(1 << 20); // sparse: the length is there, the blocks are not
    await store.writePiece(0, Buffer.from(torrent.pieces[0]));
    const after = await store.diskSpace();
    expect(after.needed).toBe((1 << 20) - 65536);
    expect(after.available).toBe(before.available - 65536);
    await store.close();
    await rm(join(disk, 'not-yet-created'), { recursive: true });
  });

  it("a write that does not fit is StorageError 'no-space' naming the file; what was written stays readable", async () => {
    const torrent = await torrentOnDisk(dir.path, { name: 'big.bin', version: 'v1', pieceLength: 65536, files: [{ path: 'big.bin', size: 1 << 20 }] }, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: disk });
    await store.open(); // sparse: 1 MiB of length on a 256 KiB disk, no blocks yet
    const written: number[] = [];
    let failure: unknown;
    for (const [index, piece] of torrent.pieces.entries()) {
      try {
        await store.writePiece(index, Buffer.from(piece));
        written.push(index);
      } catch (error) {
        failure = error;
        break;
      }
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'no-space', path: join(disk, 'big.bin') });
    expect((failure as Error).message).toMatch(/^writing .*big\.bin: .*ENOSPC/);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(torrent.metainfo.pieceCount);
    for (const index of written) expect((await store.readPiece(index)).equals(torrent.pieces[index])).toBe(true);

    // Resume data cannot be saved either: the old file (none here) is left alone, no temporary file remains.
    const resumePath = join(disk, 'big.resume');
    const have = new Bitfield(torrent.metainfo.pieceCount);
    await expect(saveResumeData(resumePath, { metainfo: torrent.metainfo, have, store })).rejects.toMatchObject({ code: 'no-space' });
    expect((await readdir(disk)).sort()).toEqual(['big.bin']);
    await store.close();
    expect((await readFile(join(disk, 'big.bin'))).subarray(0, 65536).equals(torrent.pieces[0])).toBe(true);
  });
});
