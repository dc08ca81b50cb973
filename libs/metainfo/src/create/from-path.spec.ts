import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { parseTorrent } from '../parse';
import { CreateTorrentError } from './create-error';
import { createTorrent } from './create-torrent';
import { createTorrentFromPath } from './from-path';
import { localSourceFile } from './local-source';
import { bytesOf, memoryFile, naivePiecesRoot } from './test-sources';

describe('createTorrentFromPath', () => {
  let pool: HashPool;
  let root: string;
  beforeAll(() => (pool = new HashPool({ size: 1 })));
  afterAll(() => pool.close());
  beforeEach(async () => (root = await mkdtemp(join(tmpdir(), 'seedfleet-create-'))));
  afterEach(() => rm(root, { recursive: true, force: true }));

  const files = (path: string) => createTorrentFromPath(path, { pool, pieceLength: 16384 }).then((created) => parseTorrent(created.torrent));

  it('a file gives a single-file torrent named after it', async () => {
    await writeFile(join(root, 'app.bin'), bytesOf(50_000, 1));
    const metainfo = await files(join(root, 'app.bin'));
    expect(metainfo).toMatchObject({ name: 'app.bin', totalSize: 50_000 });
    expect(metainfo.info.has('length')).toBe(true);
    expect(metainfo.files[0].piecesRoot).toEqual(naivePiecesRoot(bytesOf(50_000, 1)));
  });

  it('a directory: hidden files kept, empty directories dropped, symlinks followed, dangling ones skipped', async () => {
    const dir = join(root, 'release');
    await mkdir(join(dir, 'empty-dir'), { recursive: true });
    await mkdir(join(dir, 'lib'));
    await writeFile(join(dir, '.hidden'), 'h');
    await writeFile(join(dir, 'lib', 'run'), 'exec');
    await chmod(join(dir, 'lib', 'run'), 0o755);
    await writeFile(join(dir, 'data'), bytesOf(100, 2));
    await symlink('data', join(dir, 'data-link'));
    await symlink('lib', join(dir, 'lib-link'));
    await symlink('nowhere', join(dir, 'dangling'));
    const metainfo = await files(dir);
    const real = metainfo.files.filter((file) => !file.pad).map((file) => [file.path.join('/'), file.attributes]);
    // libtorrent 2.0.8 marks a followed file symlink executable: it reads the mode with lstat (0777).
    expect(real).toEqual([
      ['.hidden', ''],
      ['data', ''],
      ['data-link', 'x'],
      ['lib/run', 'x'],
      ['lib-link/run', 'x'],
    ]);
  });

  it('refuses a symlink loop', async () => {
    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd', 'f'), 'x');
    await symlink('..', join(root, 'd', 'up'));
    await expect(files(join(root, 'd'))).rejects.toThrow(/loops back/);
  });

  it('refuses a name that is not UTF-8', async () => {
    await mkdir(join(root, 'd'));
    await writeFile(Buffer.concat([Buffer.from(join(root, 'd') + '/'), Buffer.from([0xff, 0x41])]), 'x');
    await expect(files(join(root, 'd'))).rejects.toBeInstanceOf(CreateTorrentError);
  });

  it('refuses a path that does not exist with the system error', async () => {
    await expect(files(join(root, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['v1', 16384],
    ['v2', 16384],
    ['hybrid', 16384],
    ['v1', undefined],
    ['hybrid', undefined],
  ] as const)('%s, piece length %s: files read by the hash workers give the same torrent as the same bytes streamed from memory', async (version, pieceLength) => {
    const dir = join(root, 'tree');
    // Small files sharing pieces, one spanning several pieces, an empty one, one ending on a piece boundary,
    // and names whose order differs between mktorrent's and libtorrent's rules (the walk must visit them
    // in the same order as the sort).
    const contents: Record<string, Buffer> = { 'big.bin': bytesOf(100_000, 1), 'empty': Buffer.alloc(0), 'exact.bin': bytesOf(32_768, 2) };
    for (let i = 0; i < 40; i++) contents[`small/${String(i).padStart(2, '0')}.txt`] = bytesOf(1 + ((i * 997) % 3000), 10 + i);
    for (const [i, path] of ['a.txt', 'a/b', 'a/c/d', 'a0', 'a b', 'B', 'é.txt', 'e/z'].entries()) contents[path] = bytesOf(100 + i, 60 + i);
    await Promise.all(['small', 'a/c', 'e'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
    await Promise.all(Object.entries(contents).map(([path, bytes]) => writeFile(join(dir, path), bytes)));
    const options = { pool, pieceLength, version, name: 'tree' };
    const fromDisk = await createTorrentFromPath(dir, options);
    const fromMemory = await createTorrent(Object.entries(contents).map(([path, bytes]) => memoryFile(path.split('/'), bytes)), options);
    expect(fromDisk.torrent).toEqual(fromMemory.torrent);
  });

  it('hybrid of a directory holding one file: no pad file, as libtorrent (hashed while walking)', async () => {
    await mkdir(join(root, 'one'));
    await writeFile(join(root, 'one', 'only'), bytesOf(100, 1));
    const metainfo = await files(join(root, 'one'));
    expect(metainfo.files.map((file) => file.path)).toEqual([['only']]);
  });

  it('refuses a directory without data, and a file name the torrent cannot hold, while walking', async () => {
    await mkdir(join(root, 'empty'));
    await expect(files(join(root, 'empty'))).rejects.toThrow('files: there must be at least one file');
    await writeFile(join(root, 'empty', 'zero'), '');
    await expect(files(join(root, 'empty'))).rejects.toThrow(/hold no data/);
    await writeFile(join(root, 'empty', 'back\\slash'), 'x');
    await expect(files(join(root, 'empty'))).rejects.toThrow(/must not contain/);
  });

  it('stops walking and hashing when the signal aborts', async () => {
    await mkdir(join(root, 'many'));
    await Promise.all(Array.from({ length: 600 }, (_, i) => writeFile(join(root, 'many', `f${i}`), bytesOf(100, i))));
    const controller = new AbortController();
    const created = createTorrentFromPath(join(root, 'many'), { pool, pieceLength: 16384, signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(created).rejects.toThrow('stop');
  });

  it('v1: a tree of more small files than fit one hash job gives the same pieces as from memory', async () => {
    const dir = join(root, 'many');
    await mkdir(dir);
    const contents = new Map(Array.from({ length: 1100 }, (_, i) => [`f${String(i).padStart(4, '0')}`, bytesOf(1 + (i % 50), i)] as const));
    await Promise.all([...contents].map(([name, bytes]) => writeFile(join(dir, name), bytes)));
    const options = { pool, pieceLength: 16384, version: 'v1' as const, name: 'many' };
    const fromDisk = await createTorrentFromPath(dir, options);
    const fromMemory = await createTorrent([...contents].map(([name, bytes]) => memoryFile([name], bytes)), options);
    expect(fromDisk.torrent).toEqual(fromMemory.torrent);
  });

  it('refuses a file that is longer or shorter than when it was listed', async () => {
    await writeFile(join(root, 'a'), bytesOf(1000, 1));
    await writeFile(join(root, 'b'), bytesOf(1000, 2));
    const listed = (length: number) => [localSourceFile(join(root, 'a'), ['a'], length, ''), localSourceFile(join(root, 'b'), ['b'], 1000, '')];
    for (const version of ['v1', 'hybrid'] as const) {
      const grew = createTorrent(listed(900), { pool, version, name: 'd', pieceLength: 16384 });
      await expect(grew).rejects.toBeInstanceOf(CreateTorrentError);
      await expect(grew).rejects.toThrow('a: is longer than its declared 900 bytes (did it change while hashing?)');
      await expect(createTorrent(listed(1100), { pool, version, name: 'd', pieceLength: 16384 })).rejects.toThrow('a: is shorter than its declared 1100 bytes');
    }
  });

  it('reports a file that vanished after it was listed with the system error as cause', async () => {
    const created = createTorrent([localSourceFile(join(root, 'gone'), ['gone'], 10, ''), localSourceFile(join(root, 'gone2'), ['x'], 10, '')], { pool, version: 'v1', name: 'd' });
    await expect(created).rejects.toThrow(/^gone: cannot be read: .*ENOENT/);
    await expect(created).rejects.toMatchObject({ cause: expect.objectContaining({ code: 'ENOENT' }) });
  });
});
