import { FsObjectStore, type GetResult, type ObjectInfo, type ObjectStore } from '@seedfleet/storage';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { releaseKeys, type StoredRelease } from '../releases/release.model';
import { ReleaseCatalog, ReleaseRecordError } from './release-catalog';

const ID = 'rel_01m8040pv2sfecfx9dnvjdethg';
const record = (status: StoredRelease['status']): StoredRelease => ({
  id: ID,
  product: 'p',
  version: '1',
  channel: 'stable',
  public: false,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  torrentName: 'p-1',
  files: [{ path: 'a.bin', size: 3, sha256: 'ab'.repeat(32) }],
});

describe('ReleaseCatalog', () => {
  let dir: TempDir;
  let objects: FsObjectStore;
  let gets: string[];
  /** list() reports this Last-Modified for every record (S3 keeps it to the second). */
  let listedModified: Date;
  let store: ObjectStore;
  let now: number;

  beforeEach(async () => {
    dir = await createTempDir('sf-catalog-');
    objects = new FsObjectStore({ root: dir.path });
    gets = [];
    now = Date.parse('2026-06-01T00:00:00Z');
    listedModified = new Date(now);
    store = {
      ...({} as ObjectStore),
      get: (key: string, range?: { start: number; end?: number }): Promise<GetResult> => {
        gets.push(key);
        return objects.get(key, range);
      },
      list: async function* (prefix: string): AsyncIterable<ObjectInfo> {
        for await (const info of objects.list(prefix)) yield { ...info, lastModified: listedModified };
      },
    };
  });

  afterEach(async () => {
    await objects.close();
    await dir.remove();
  });

  const put = (value: unknown) => objects.put(releaseKeys.record(ID), Buffer.from(JSON.stringify(value)));

  it('get() caches a record for ttlMs, then reads it again', async () => {
    const catalog = new ReleaseCatalog(store, { ttlMs: 1000, clock: () => now });
    await put(record('building'));
    expect((await catalog.get(ID))?.status).toBe('building');
    await put(record('ready'));
    expect((await catalog.get(ID))?.status).toBe('building');
    now += 1001;
    expect((await catalog.get(ID))?.status).toBe('ready');
    expect(gets).toHaveLength(2);
  });

  it('get() never touches storage for a malformed id, and is undefined for an unknown one', async () => {
    const catalog = new ReleaseCatalog(store, { clock: () => now });
    expect(await catalog.get('../meta/releases/x')).toBeUndefined();
    expect(gets).toEqual([]);
    expect(await catalog.get(ID)).toBeUndefined();
  });

  it('a malformed record is a ReleaseRecordError, and is not cached', async () => {
    const catalog = new ReleaseCatalog(store, { clock: () => now });
    await put({ ...record('ready'), id: 'rel_other' });
    await expect(catalog.get(ID)).rejects.toThrow(ReleaseRecordError);
    await put(record('ready'));
    expect((await catalog.get(ID))?.status).toBe('ready');
  });

  it('list() re-reads a record changed within the last minute even if Last-Modified did not move', async () => {
    const catalog = new ReleaseCatalog(store, { clock: () => now });
    await put(record('building'));
    expect((await catalog.list()).map((entry) => entry.status)).toEqual(['building']);
    await put(record('ready')); // same second on S3: same Last-Modified
    expect((await catalog.list()).map((entry) => entry.status)).toEqual(['ready']);
  });

  it('list() does not read an old unchanged record again, and forgets deleted ones', async () => {
    const catalog = new ReleaseCatalog(store, { clock: () => now });
    await put(record('ready'));
    now += 120_000;
    await catalog.list();
    const reads = gets.length;
    expect((await catalog.list()).map((entry) => entry.status)).toEqual(['ready']);
    expect(gets).toHaveLength(reads);
    await objects.delete(releaseKeys.record(ID));
    expect(await catalog.list()).toEqual([]);
  });

  it('list() skips an unreadable record without hiding the others, keeping its last good version', async () => {
    const unreadable: string[] = [];
    const catalog = new ReleaseCatalog(store, { clock: () => now, onUnreadable: (id) => unreadable.push(id) });
    const otherId = 'rel_01m8040pv2sfecfx9dnvjdethh';
    await put(record('ready'));
    await objects.put(releaseKeys.record(otherId), Buffer.from(JSON.stringify({ ...record('ready'), id: otherId })));
    expect((await catalog.list()).map((entry) => entry.id)).toEqual([ID, otherId]);
    await objects.put(releaseKeys.record(ID), Buffer.from('{"id": "rel_01m8040pv2sfecfx9dnvjdethg", "sta'));
    expect((await catalog.list()).map((entry) => [entry.id, entry.status])).toEqual([[ID, 'ready'], [otherId, 'ready']]);
    expect(unreadable).toEqual([ID]);
  });
});
