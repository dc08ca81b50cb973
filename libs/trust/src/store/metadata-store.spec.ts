import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustError } from '../trust-error';
import { FsObjectStore } from '@seedfleet/storage';
import { DirectoryMetadataStore } from './directory-metadata-store';
import { MemoryMetadataStore } from './memory-metadata-store';
import type { MetadataStore } from './metadata-store';
import { ObjectStoreMetadataStore } from './object-store-metadata-store';

// One conformance suite for every MetadataStore adapter.
const adapters: [string, () => Promise<{ store: MetadataStore; cleanup: () => Promise<void> }>][] = [
  ['memory', async () => ({ store: new MemoryMetadataStore(), cleanup: async () => undefined })],
  [
    'directory',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'seedfleet-tuf-store-'));
      return { store: new DirectoryMetadataStore(join(dir, 'repo')), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'object store (FsObjectStore)',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'seedfleet-tuf-store-'));
      const objects = new FsObjectStore({ root: join(dir, 'objects') });
      return { store: new ObjectStoreMetadataStore(objects, { prefix: 'tuf/' }), cleanup: async () => (await objects.close(), await rm(dir, { recursive: true, force: true })) };
    },
  ],
];

describe.each(adapters)('MetadataStore conformance: %s', (_name, create) => {
  let store: MetadataStore;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await create()));
  afterEach(() => cleanup());

  it('reads back what was written, in nested names too, and undefined for missing files', async () => {
    expect(await store.read('timestamp.json')).toBeUndefined();
    await store.write('timestamp.json', Buffer.from('one'));
    await store.write('releases/app/abc.app.torrent', Buffer.from([0, 1, 2]));
    expect((await store.read('timestamp.json'))!.toString()).toBe('one');
    expect((await store.read('releases/app/abc.app.torrent'))!.equals(Buffer.from([0, 1, 2]))).toBe(true);
    expect(await store.read('releases/app')).toBeUndefined();
  });

  it('replaces a file as a whole', async () => {
    await store.write('1.root.json', Buffer.from('a much longer first version'));
    await store.write('1.root.json', Buffer.from('short'));
    expect((await store.read('1.root.json'))!.toString()).toBe('short');
  });

  it('does not share buffers with its callers', async () => {
    const bytes = Buffer.from('abc');
    await store.write('x.json', bytes);
    bytes[0] = 0x7a;
    const read = (await store.read('x.json'))!;
    read[1] = 0x7a;
    expect((await store.read('x.json'))!.toString()).toBe('abc');
  });

  it.each(['', '/etc/passwd', '../x', 'a/../b', 'a//b', '.hidden', 'a/./b', 'a\\b', 'nul\0', 'a/', 'sp ace'])('rejects the name %j', async (name) => {
    await expect(store.write(name, Buffer.from('x'))).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(store.read(name)).rejects.toBeInstanceOf(TrustError);
  });
});

describe('DirectoryMetadataStore', () => {
  it('leaves no temporary files behind and reports unwritable paths as io errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seedfleet-tuf-store-'));
    try {
      const store = new DirectoryMetadataStore(dir);
      await store.write('a/b.json', Buffer.from('{}'));
      expect(await readdir(join(dir, 'a'))).toEqual(['b.json']);
      expect((await stat(join(dir, 'a', 'b.json'))).mode & 0o777).toBe(0o644);
      await expect(store.write('a/b.json/c', Buffer.from('x'))).rejects.toMatchObject({ code: 'io' });
      expect(await store.read('a')).toBeUndefined();
      expect(await store.read('a/b.json/c')).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ObjectStoreMetadataStore', () => {
  it('keeps files under its prefix and refuses objects larger than its bound', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seedfleet-tuf-store-'));
    const objects = new FsObjectStore({ root: dir });
    try {
      const store = new ObjectStoreMetadataStore(objects, { prefix: 'tuf/metadata/', maxBytes: 8 });
      await store.write('timestamp.json', Buffer.from('{}'));
      expect((await objects.head('tuf/metadata/timestamp.json'))?.size).toBe(2);
      await store.write('1.targets.json', Buffer.alloc(9));
      await expect(store.read('1.targets.json')).rejects.toMatchObject({ code: 'invalid-metadata' });
      expect(() => new ObjectStoreMetadataStore(objects, { prefix: 'tuf' })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    } finally {
      await objects.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
