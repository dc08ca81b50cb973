import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { parseTorrent } from '../parse';
import { CreateTorrentError } from './create-error';
import { createTorrentFromPath } from './from-path';
import { bytesOf, naivePiecesRoot } from './test-sources';

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
});
