import { createTempDir, waitFor, type TempDir } from '@seedfleet/testing';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync } from 'node:fs';
import { mkdir, open, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fsStorageError } from './fs-errors';
import { FS_INCOMING_DIR, FsObjectStore } from './fs-object-store';
import { StorageError } from './object-store';
import { chunked, collect, expectStorageError, pattern, readAll, sha256 } from './testing/object-store-conformance';

let dir: TempDir;
let root: string;
let store: FsObjectStore;
beforeEach(async () => {
  dir = await createTempDir('seedfleet-fs-store-');
  root = join(dir.path, 'objects');
  store = new FsObjectStore({ root });
});
afterEach(async () => {
  await store.close();
  await dir.remove();
});

const incoming = () => readdir(join(root, FS_INCOMING_DIR)).catch(() => [] as string[]);

describe('FsObjectStore temp files', () => {
  it('keeps puts in progress in .incoming, out of list and get, and refuses keys under it', async () => {
    const body = new PassThrough();
    let accepted = 0;
    const putting = store.put('a/b.bin', body, { onProgress: (n) => (accepted = n) });
    body.write(pattern(10_000, 1));
    await waitUntil(() => accepted > 0);
    await waitFor('the temp file', async () => ((await incoming()).length === 1 ? true : undefined), { timeoutMs: 10_000, intervalMs: 5 });
    expect(await collect(store.list(''))).toEqual([]);
    expect(await collect(store.list(`${FS_INCOMING_DIR}/`))).toEqual([]);
    await expectStorageError(store.get('a/b.bin'), 'not-found');
    await expectStorageError(store.get(`${FS_INCOMING_DIR}/x.part`), 'bad-key');
    await expectStorageError(store.put(`${FS_INCOMING_DIR}/x`, Buffer.from('x')), 'bad-key');
    body.end();
    await putting;
    expect(await incoming()).toEqual([]);
    expect((await collect(store.list(''))).map((info) => info.key)).toEqual(['a/b.bin']);
  });

  it('removes temp files a crash left behind more than a day ago, and only those', async () => {
    await mkdir(join(root, FS_INCOMING_DIR), { recursive: true });
    const stale = join(root, FS_INCOMING_DIR, 'stale.part');
    const fresh = join(root, FS_INCOMING_DIR, 'fresh.part');
    await writeFile(stale, 'old');
    await writeFile(fresh, 'new');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    await store.put('k', Buffer.from('x'));
    await store.close();
    expect((await incoming()).sort()).toEqual(['fresh.part']);
  });
});

describe('FsObjectStore atomicity', () => {
  it('lets a reader that opened the old object read it whole after an overwrite', async () => {
    const oldBytes = pattern(500_000, 2);
    await store.put('o.bin', oldBytes);
    const reader = await store.get('o.bin');
    await store.put('o.bin', pattern(400_000, 3));
    expect(sha256(await readAll(reader.body))).toBe(sha256(oldBytes));
  });

  it('ends concurrent puts of one key with one whole version and no temp files', async () => {
    const versions = [1, 2, 3, 4, 5].map((seed) => pattern(60_000 + seed, 10 + seed));
    const results = await Promise.all(versions.map((bytes) => store.put('race.bin', chunked(bytes, 4096))));
    const stored = sha256(await readAll((await store.get('race.bin')).body));
    expect(results.map((result) => result.sha256)).toContain(stored);
    expect(await incoming()).toEqual([]);
  });
});

describe('FsObjectStore directories', () => {
  it('refuses a key under an existing object and an object over existing keys, naming the conflict', async () => {
    await store.put('a/b', Buffer.from('file'));
    const under = await expectStorageError(store.put('a/b/c', Buffer.from('x')), 'bad-key');
    expect(under.message).toContain('a/b/c');
    await expectStorageError(store.put('a', Buffer.from('x')), 'bad-key');
    expect(await incoming()).toEqual([]);
    expect((await collect(store.list(''))).map((info) => info.key)).toEqual(['a/b']);
    expect(await store.head('a')).toBeUndefined();
    await expectStorageError(store.get('a'), 'not-found');
    await store.delete('a');
    expect(await store.head('a/b')).toBeDefined();
  });

  it('prunes directories a delete empties, never the root or a directory still in use', async () => {
    await store.put('r/1/files/x/y.bin', Buffer.from('y'));
    await store.put('r/1/keep.bin', Buffer.from('k'));
    await store.delete('r/1/files/x/y.bin');
    expect(await readdir(join(root, 'r', '1'))).toEqual(['keep.bin']);
    await store.delete('r/1/keep.bin');
    expect((await readdir(root)).filter((name) => name !== FS_INCOMING_DIR)).toEqual([]);
    expect((await stat(root)).isDirectory()).toBe(true);
    await store.put('r/1/again.bin', Buffer.from('a'));
    expect((await store.head('r/1/again.bin'))?.size).toBe(1);
  });

  it('lists nothing and finds nothing when the root does not exist yet', async () => {
    expect(await collect(store.list(''))).toEqual([]);
    expect(await store.head('x')).toBeUndefined();
    await store.delete('x');
  });

  it('ignores files in the tree whose names are not valid keys', async () => {
    await store.put('ok/a', Buffer.from('a'));
    await writeFile(join(root, 'ok', 'bad\\name'), 'x');
    expect((await collect(store.list('ok/'))).map((info) => info.key)).toEqual(['ok/a']);
  });
});

describe('FsObjectStore error mapping', () => {
  it('maps errno codes to StorageError codes with the key and the cause', () => {
    const cases: [string, StorageError['code'], string][] = [
      ['ENOSPC', 'io', 'no space left on the device'],
      ['EDQUOT', 'io', 'quota'],
      ['EACCES', 'access-denied', 'permission denied'],
      ['EPERM', 'access-denied', 'not permitted'],
      ['EROFS', 'access-denied', 'read-only'],
      ['EMFILE', 'unavailable', 'too many open files'],
      ['ENAMETOOLONG', 'bad-key', 'too long'],
      ['EIO', 'io', 'i/o error'],
    ];
    for (const [errno, code, text] of cases) {
      const cause = Object.assign(new Error(`${errno}: i/o error, open '/x'`), { code: errno });
      const mapped = fsStorageError(cause, 'put', 'rel/k.bin');
      expect(mapped).toMatchObject({ code, key: 'rel/k.bin', cause });
      expect(mapped.message).toContain('rel/k.bin');
      expect(mapped.message.toLowerCase()).toContain(text);
    }
  });

  it('maps a real ENOSPC (writing /dev/full)', async () => {
    const full = await open('/dev/full', 'w');
    const error = await full.write(Buffer.alloc(10)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    await full.close();
    expect(fsStorageError(error, 'put', 'k')).toMatchObject({ code: 'io', message: expect.stringContaining('ENOSPC') });
  });

  it('refuses a segment too long for the file system with bad-key', async () => {
    await expectStorageError(store.put(`dir/${'x'.repeat(300)}`, Buffer.from('x')), 'bad-key');
    expect(await incoming()).toEqual([]);
  });

  // Full and read-only file systems need a mount; the test runs where it may mount (root in a container).
  const mountable = canMountTmpfs();
  (mountable ? it : it.skip)('fails a put on a full disk with io naming the key, and leaves no temp file', async () => {
    await withTmpfs('size=1m', async (mountPoint) => {
      const small = new FsObjectStore({ root: mountPoint });
      await small.put('fits.bin', pattern(100_000, 4));
      const error = await expectStorageError(small.put('release/too-big.bin', chunked(pattern(2 * 1024 * 1024, 5), 65536)), 'io');
      expect(error.message).toContain('release/too-big.bin');
      expect(error.message).toContain('ENOSPC');
      expect(await readdir(join(mountPoint, FS_INCOMING_DIR))).toEqual([]);
      expect((await small.head('fits.bin'))?.size).toBe(100_000);
      await small.close();
    });
  });

  (mountable ? it : it.skip)('fails a put on a read-only file system with access-denied', async () => {
    await withTmpfs('ro,size=1m', async (mountPoint) => {
      const readOnly = new FsObjectStore({ root: mountPoint });
      const error = await expectStorageError(readOnly.put('k.bin', Buffer.from('x')), 'access-denied');
      expect(error.message).toContain('k.bin');
      expect(error.message).toContain('EROFS');
    });
  });
});

function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), 'seedfleet-mount-probe-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
    spawnSync('umount', [probe]);
    return true;
  } finally {
    rmdirSync(probe);
  }
}

async function withTmpfs(options: string, body: (mountPoint: string) => Promise<void>): Promise<void> {
  const mountPoint = join(dir.path, 'mnt');
  mkdirSync(mountPoint);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint], { encoding: 'utf8' });
  if (mounted.status !== 0) throw new Error(`mount tmpfs failed: ${mounted.stderr}`);
  try {
    await body(mountPoint);
  } finally {
    spawnSync('umount', [mountPoint]);
  }
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
