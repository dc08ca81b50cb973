import { readdir, readFile, readlink, rm, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import type { Metainfo } from '@seedfleet/metainfo';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { FileStore } from './file-store';
import { PieceVerifier } from './piece-verifier';
import { type TorrentOnDisk, type TorrentSpec, torrentOnDisk } from './testing/torrent-on-disk';

let pool: HashPool;
let dir: TempDir;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => (dir = await createTempDir('seedfleet-file-store-')));
afterEach(() => dir.remove());

const multi = (version: TorrentSpec['version']): TorrentSpec => ({
  name: 'release',
  version,
  pieceLength: 16384,
  files: [
    { path: 'a.bin', size: 40_000 },
    { path: 'empty.txt', size: 0 },
    { path: 'lib/run', size: 3_000, mode: 0o755 },
    { path: 'lib/z.dat', size: 50_001 },
  ],
});

async function download(torrent: TorrentOnDisk, options: Partial<ConstructorParameters<typeof FileStore>[0]> = {}): Promise<FileStore> {
  const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), ...options });
  await store.open();
  for (const [index, piece] of torrent.pieces.entries()) await store.writePiece(index, Buffer.from(piece));
  await store.close();
  return store;
}

async function sameFiles(torrent: TorrentOnDisk, relative: string[]): Promise<void> {
  for (const path of relative) {
    const written = await readFile(join(dir.path, 'download', path));
    expect(written.equals(await readFile(join(torrent.directory, path)))).toBe(true);
  }
}

/** Paths below `root`, files and directories, '/' separated. */
async function tree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries.map((entry) => entry.split('\\').join('/')).sort();
}

describe('FileStore layout', () => {
  it('hybrid multi-file: directory/<name>/<path>, pad files never on disk, the empty file created', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('hybrid'), pool);
    expect(torrent.metainfo.files.some((file) => file.pad)).toBe(true);
    await download(torrent);
    expect(await tree(join(dir.path, 'download'))).toEqual(['release', 'release/a.bin', 'release/empty.txt', 'release/lib', 'release/lib/run', 'release/lib/z.dat']);
    await sameFiles(torrent, ['release/a.bin', 'release/empty.txt', 'release/lib/run', 'release/lib/z.dat']);
  });

  it('reads pad bytes as zeros, and such pieces verify', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('hybrid'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    await store.open();
    const padFile = torrent.metainfo.files.find((file) => file.pad)!;
    const index = Math.floor(padFile.offset / 16384);
    const piece = await store.readPiece(index);
    const padStart = padFile.offset - index * 16384;
    expect(piece.subarray(padStart, padStart + padFile.length).equals(Buffer.alloc(padFile.length))).toBe(true);
    expect(await new PieceVerifier(torrent.metainfo, pool).verify(index, piece)).toBe(true);
    await store.close();
  });

  it('v1 multi-file: pieces spanning three files read back whole and verify', async () => {
    const spec: TorrentSpec = { name: 'small', version: 'v1', pieceLength: 16384, files: [
      { path: 'x', size: 10_000 },
      { path: 'y', size: 2_000 },
      { path: 'z', size: 30_000 },
    ] };
    const torrent = await torrentOnDisk(dir.path, spec, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    await store.open();
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    for (const [index, expected] of torrent.pieces.entries()) {
      const piece = await store.readPiece(index);
      expect(piece.equals(expected)).toBe(true);
      expect(await verifier.verify(index, piece)).toBe(true);
    }
    // Piece 0 holds all of x, all of y and the start of z; a block straddling y and z:
    const block = await store.readBlock(0, 11_000, 2_000);
    expect(block.equals(torrent.pieces[0].subarray(11_000, 13_000))).toBe(true);
    await store.close();
  });

  it('single-file torrent: directory/<name>', async () => {
    const torrent = await torrentOnDisk(dir.path, { name: 'image.iso', version: 'v1', pieceLength: 16384, files: [{ path: 'image.iso', size: 100_000 }] }, pool);
    await download(torrent);
    expect(await tree(join(dir.path, 'download'))).toEqual(['image.iso']);
    await sameFiles(torrent, ['image.iso']);
  });

  it.each(['v2', 'hybrid'] as const)('%s single-file torrent: directory/<name>', async (version) => {
    const torrent = await torrentOnDisk(dir.path, { name: 'one.bin', version, pieceLength: 16384, files: [{ path: 'one.bin', size: 50_000 }] }, pool);
    await download(torrent);
    expect(await tree(join(dir.path, 'download'))).toEqual(['one.bin']);
    await sameFiles(torrent, ['one.bin']);
  });

  it('v2 (piece-aligned) multi-file layout writes every file and its pieces verify against the piece layers', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v2'), pool);
    expect(torrent.metainfo.version).toBe('v2');
    await download(torrent);
    await sameFiles(torrent, ['release/a.bin', 'release/empty.txt', 'release/lib/run', 'release/lib/z.dat']);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download') });
    await store.open();
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    for (let index = 0; index < torrent.metainfo.pieceCount; index++) expect(await verifier.verify(index, await store.readPiece(index))).toBe(true);
    await store.close();
  });

  it('keeps the executable attribute on files it creates', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('hybrid'), pool);
    await download(torrent);
    expect((await stat(join(dir.path, 'download/release/lib/run'))).mode & 0o111).not.toBe(0);
    expect((await stat(join(dir.path, 'download/release/a.bin'))).mode & 0o111).toBe(0);
  });
});

describe('FileStore preallocation', () => {
  it("'sparse': open() gives every file its length without allocating blocks", async () => {
    const spec: TorrentSpec = { name: 'big', version: 'hybrid', pieceLength: 1 << 20, files: [{ path: 'a', size: 64 << 20 }, { path: 'b', size: 0 }] };
    const torrent = await torrentOnDisk(dir.path, spec, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download') });
    await store.open();
    const a = await stat(join(dir.path, 'download/big/a'));
    expect(a.size).toBe(64 << 20);
    expect(a.blocks * 512).toBeLessThan(1 << 20);
    expect((await stat(join(dir.path, 'download/big/b'))).size).toBe(0);
    expect(store.isKnownEmpty(0)).toBe(true);
    await store.writePiece(0, Buffer.from(torrent.pieces[0]));
    expect(store.isKnownEmpty(0)).toBe(false);
    expect(store.isKnownEmpty(1)).toBe(true);
    await store.close();
  });

  it("'none': files are created empty and unwritten pieces are 'missing'", async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), preallocate: 'none' });
    await store.open();
    expect((await stat(join(dir.path, 'download/release/lib/z.dat'))).size).toBe(0);
    expect(store.isKnownEmpty(0)).toBe(true); // it created the file: nothing there to check
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'missing', path: join(dir.path, 'download/release/a.bin') });
    await store.close();
  });

  it('opening over complete data touches nothing: sizes and mtimes stay', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('hybrid'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    const before = await store.fileStates();
    await store.open();
    await store.close();
    expect(await store.fileStates()).toEqual(before);
    expect(before.map((state) => state.path)).toEqual(['release/a.bin', 'release/empty.txt', 'release/lib/run', 'release/lib/z.dat']);
  });
});

describe('FileStore failures and limits', () => {
  it('refuses torrent paths that would escape the directory', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const escaping = (path: string[]): Metainfo => ({ ...torrent.metainfo, files: torrent.metainfo.files.map((file, i) => (i === 0 ? { ...file, path } : file)) });
    for (const path of [['..', '..', 'etc', 'passwd'], ['a/../../b'], [''], ['x\0y']]) {
      expect(() => new FileStore({ metainfo: escaping(path), directory: dir.path })).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
    }
    expect(() => new FileStore({ metainfo: { ...torrent.metainfo, name: '..' }, directory: dir.path })).toThrow(expect.objectContaining({ code: 'unsafe-path' }));
  });

  it("a file deleted under a seeder makes its pieces 'missing', naming the file", async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    await store.open();
    await rm(join(torrent.directory, 'release/lib/z.dat'));
    const last = torrent.metainfo.pieceCount - 1;
    await expect(store.readPiece(last)).rejects.toMatchObject({ name: 'StorageError', code: 'missing' });
    await truncate(join(torrent.directory, 'release/a.bin'), 100);
    await expect(store.readBlock(0, 200, 10)).rejects.toMatchObject({ code: 'missing', path: join(torrent.directory, 'release/a.bin') });
    await store.close();
  });

  it('holds at most maxOpenFiles idle file handles', async () => {
    const files = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}`, size: 20_000 }));
    const torrent = await torrentOnDisk(dir.path, { name: 'many', version: 'v1', pieceLength: 16384, files }, pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory, maxOpenFiles: 2 });
    await store.open();
    for (let index = 0; index < torrent.metainfo.pieceCount; index++) expect((await store.readPiece(index)).equals(torrent.pieces[index])).toBe(true);
    expect(await openDescriptorsBelow(torrent.directory)).toBeLessThanOrEqual(2);
    await store.close();
    expect(await openDescriptorsBelow(torrent.directory)).toBe(0);
  });

  it('500 small files, pieces spanning dozens of them, through 4 handles: every byte lands in the right file', async () => {
    const files = Array.from({ length: 500 }, (_, i) => ({ path: `d${i % 7}/f${i}`, size: (i * 997) % 1500 }));
    const torrent = await torrentOnDisk(dir.path, { name: 'tree', version: 'v1', pieceLength: 16384, files }, pool);
    await download(torrent, { maxOpenFiles: 4 });
    await sameFiles(torrent, files.map((file) => `tree/${file.path}`));
    expect(await openDescriptorsBelow(join(dir.path, 'download'))).toBe(0);
  });

  it('close() waits for writes in flight, which land on disk', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), maxWriteBytes: 16384 });
    await store.open();
    const writes = torrent.pieces.map((piece, index) => store.writePiece(index, Buffer.from(piece)));
    expect(store.writeBytesInFlight).toBe(16384); // the bounded write queue admitted one piece, the rest wait
    await store.close();
    await Promise.all(writes);
    await sameFiles(torrent, ['release/a.bin', 'release/lib/run', 'release/lib/z.dat']);
  });

  it('flush() waits only for writes started before it: a steady stream of writes cannot starve it', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: join(dir.path, 'download'), maxWriteBytes: 16384 });
    await store.open();
    const cap = 500;
    let writes = 0;
    let flushed = false;
    // Two writers keep the one-piece write queue busy at every moment until the flush returns (or the cap).
    const writer = async (): Promise<void> => {
      while (!flushed && writes < cap) {
        const index = writes++ % torrent.pieces.length;
        await store.writePiece(index, Buffer.from(torrent.pieces[index]));
      }
    };
    const writers = [writer(), writer()];
    await store.flush();
    flushed = true;
    expect(writes).toBeLessThan(cap);
    await Promise.all(writers);
    await store.close();
  });

  it("refuses use before open() with 'closed'", async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'closed', message: 'store is not open' });
  });
});

/** Descriptors of this process open on files below `root`. */
async function openDescriptorsBelow(root: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(`${root}/`)) count++;
  }
  return count;
}

describe('FileStore open/close races', () => {
  it('close() right after open() (not awaited) waits for the open, and concurrent closes share one close', async () => {
    const torrent = await torrentOnDisk(dir.path, multi('v1'), pool);
    const store = new FileStore({ metainfo: torrent.metainfo, directory: torrent.directory });
    const opening = store.open();
    const [first, second] = [store.close(), store.close()];
    await Promise.all([opening, first, second]);
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'closed' });
    expect(await openDescriptorsBelow(torrent.directory)).toBe(0);
    await store.open();
    expect((await store.readPiece(0)).equals(torrent.pieces[0])).toBe(true);
    await store.close();
  });
});
