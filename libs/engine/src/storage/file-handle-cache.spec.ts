import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { FileHandleCache } from './file-handle-cache';

let dir: TempDir;
beforeEach(async () => (dir = await createTempDir('seedfleet-handles-')));
afterEach(() => dir.remove());

const readAll = async (cache: FileHandleCache, path: string) => cache.use(path, 'read', async (handle) => (await handle.readFile()).toString());

describe('FileHandleCache', () => {
  it('a failed open is not cached: the file can appear later', async () => {
    const cache = new FileHandleCache(4);
    const path = join(dir.path, 'later');
    await expect(readAll(cache, path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(cache.openCount).toBe(0);
    await writeFile(path, 'here now');
    expect(await readAll(cache, path)).toBe('here now');
    await cache.closeAll();
  });

  it('never closes a handle under its user, even when pushed out of a full cache', async () => {
    const cache = new FileHandleCache(1);
    const [a, b] = [join(dir.path, 'a'), join(dir.path, 'b')];
    await writeFile(a, 'aaaa');
    await writeFile(b, 'bbbb');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slowRead = cache.use(a, 'read', async (handle) => {
      await held; // b is opened and used meanwhile, overflowing the cache of one
      return (await handle.read(Buffer.alloc(4), 0, 4, 0)).buffer.toString();
    });
    expect(await readAll(cache, b)).toBe('bbbb');
    release();
    expect(await slowRead).toBe('aaaa');
    expect(cache.openCount).toBe(1);
    await cache.closeAll();
    expect(cache.openCount).toBe(0);
  });

  it("'write' creates a missing file; 'read' does not", async () => {
    const cache = new FileHandleCache(2);
    const path = join(dir.path, 'new');
    await expect(readAll(cache, path)).rejects.toMatchObject({ code: 'ENOENT' });
    await cache.use(path, 'write', (handle) => handle.write(Buffer.from('x'), 0, 1, 0));
    expect(await readAll(cache, path)).toBe('x');
    await cache.closeAll();
  });
});
