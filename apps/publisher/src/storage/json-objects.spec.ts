import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore, type ObjectStore, StorageError } from '@seedfleet/storage';
import { readJsonObject, writeJsonObject } from './json-objects';

describe('JSON records', () => {
  let root: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sf-json-objects-'));
    store = new FsObjectStore({ root });
  });

  afterEach(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  /** The store as a non-atomic S3-compatible one looks while `key` is rewritten: the first reads see half of it. */
  function tornFor(reads: number): ObjectStore & { reads: number } {
    let seen = 0;
    const torn = Object.create(store) as ObjectStore & { reads: number };
    torn.get = async (key, range) => {
      seen++;
      torn.reads = seen;
      if (seen > reads) return store.get(key, range);
      await store.put('torn', Buffer.from('{"id": "rel_1", "sta'));
      return store.get('torn', range);
    };
    return torn;
  }

  it('round-trips a record and reads a missing one as undefined', async () => {
    await writeJsonObject(store, 'meta/a.json', { id: 'a', files: [1, 2] });
    expect(await readJsonObject(store, 'meta/a.json')).toEqual({ id: 'a', files: [1, 2] });
    expect(await readJsonObject(store, 'meta/missing.json')).toBeUndefined();
  });

  it('reads again a record caught mid-write', async () => {
    await writeJsonObject(store, 'meta/r.json', { id: 'rel_1', status: 'ready' });
    const torn = tornFor(2);
    expect(await readJsonObject(torn, 'meta/r.json')).toEqual({ id: 'rel_1', status: 'ready' });
    expect(torn.reads).toBe(3);
  });

  it('gives up with a StorageError naming the key when the record stays broken', async () => {
    await writeJsonObject(store, 'meta/r.json', { id: 'rel_1' });
    const error = await readJsonObject(tornFor(100), 'meta/r.json').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).code).toBe('io');
    expect((error as StorageError).message).toMatch(/^record meta\/r\.json is not valid JSON after 4 reads/);
  });
});
