import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StorageError as PieceStoreError } from '@seedfleet/engine';
import { createTorrent, type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { FsObjectStore, type GetResult, type ObjectStore, StorageError } from '@seedfleet/storage';
import { createTempDir, deterministicBytes, type TempDir } from '@seedfleet/testing';
import { releaseKeys, type StoredRelease } from '../releases/release.model';
import { ObjectStorePieceStore } from './object-store-piece-store';
import { keyMapper } from './origin-seeder';
import { ReadLimiter } from './read-limiter';

const RELEASE_ID = 'rel_00000000000000000000000000';
// Sizes chosen so pieces straddle files and the hybrid layout has pad files between them.
const FILES: Record<string, Buffer> = {
  'a/first.bin': deterministicBytes(40_000, 'first'),
  'b.bin': deterministicBytes(17, 'b'),
  'c/empty': Buffer.alloc(0),
  'z/last.bin': deterministicBytes(70_001, 'last'),
};

function release(files: Record<string, Buffer>): StoredRelease {
  const now = new Date().toISOString();
  return {
    id: RELEASE_ID,
    product: 'p',
    version: '1',
    channel: 'stable',
    public: false,
    status: 'ready',
    createdAt: now,
    updatedAt: now,
    torrentName: 'p-1',
    files: Object.entries(files).map(([path, bytes]) => ({ path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') })),
  };
}

async function build(version: 'v1' | 'hybrid', files: Record<string, Buffer>, single = false): Promise<Metainfo> {
  const sources = Object.entries(files).map(([path, bytes]) => ({ path: single ? [] : path.split('/'), length: bytes.length, open: () => Readable.from([bytes]) }));
  return parseTorrent((await createTorrent(sources, { version, name: 'p-1', pieceLength: 16384 })).torrent);
}

const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();

describe('ObjectStorePieceStore', () => {
  let dir: TempDir;
  let objects: FsObjectStore;

  beforeEach(async () => {
    dir = await createTempDir('sf-os-piece-store-');
    objects = new FsObjectStore({ root: dir.path });
    for (const [path, bytes] of Object.entries(FILES)) await objects.put(releaseKeys.file(RELEASE_ID, path), bytes);
  });

  afterEach(async () => {
    await objects.close();
    await dir.remove();
  });

  const open = async (metainfo: Metainfo, store: ObjectStore = objects, limiter = new ReadLimiter(4)) => {
    const pieces = new ObjectStorePieceStore({ metainfo, objects: store, keyOf: keyMapper(release(FILES), metainfo), limiter });
    await pieces.open();
    return pieces;
  };

  it.each(['v1', 'hybrid'] as const)('%s: every piece read from storage matches its SHA-1 (pads as zeros), whole and in blocks', async (version) => {
    const metainfo = await build(version, FILES);
    if (version === 'hybrid') expect(metainfo.files.some((file) => file.pad)).toBe(true);
    const store = await open(metainfo);
    for (let index = 0; index < metainfo.pieceCount; index++) {
      const piece = await store.readPiece(index);
      expect(sha1(piece).equals(metainfo.pieces!.subarray(index * 20, index * 20 + 20))).toBe(true);
      const into = await store.readPieceInto(index, Buffer.alloc(16384, 0xee));
      expect(into.equals(piece)).toBe(true);
      const blocks = [await store.readBlock(index, 0, 1), await store.readBlock(index, 1, piece.length - 2), await store.readBlock(index, piece.length - 1, 1)];
      expect(Buffer.concat(blocks).equals(piece)).toBe(true);
    }
    await store.close();
  });

  it('single-file torrent: the one torrent file is the release file', async () => {
    const only = { 'dir/only.bin': FILES['z/last.bin'] };
    const metainfo = await build('v1', only, true);
    await objects.put(releaseKeys.file(RELEASE_ID, 'dir/only.bin'), only['dir/only.bin']);
    const store = new ObjectStorePieceStore({ metainfo, objects, keyOf: keyMapper(release(only), metainfo), limiter: new ReadLimiter(1) });
    await store.open();
    for (let index = 0; index < metainfo.pieceCount; index++) {
      expect(sha1(await store.readPiece(index)).equals(metainfo.pieces!.subarray(index * 20, index * 20 + 20))).toBe(true);
    }
  });

  it('refuses writes, bad ranges and use after close with typed errors', async () => {
    const metainfo = await build('v1', FILES);
    const store = await open(metainfo);
    await expect(store.writePiece(0, Buffer.alloc(16384))).rejects.toMatchObject({ code: 'io' });
    await expect(store.readBlock(metainfo.pieceCount, 0, 1)).rejects.toMatchObject({ code: 'range' });
    await expect(store.readBlock(0, 16000, 1000)).rejects.toMatchObject({ code: 'range' });
    await store.close();
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'closed' });
  });

  it('a missing or short object is a "missing" error naming the key', async () => {
    const metainfo = await build('v1', FILES);
    const store = await open(metainfo);
    await objects.delete(releaseKeys.file(RELEASE_ID, 'a/first.bin'));
    const error = await store.readPiece(0).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PieceStoreError);
    expect(error).toMatchObject({ code: 'missing', path: releaseKeys.file(RELEASE_ID, 'a/first.bin') });
    await objects.put(releaseKeys.file(RELEASE_ID, 'z/last.bin'), FILES['z/last.bin'].subarray(0, 100));
    await expect(store.readPiece(metainfo.pieceCount - 1)).rejects.toMatchObject({ code: 'missing' });
  });

  it('never runs more storage reads at once than the limiter allows', async () => {
    const metainfo = await build('v1', FILES);
    let running = 0;
    let peak = 0;
    const counting: ObjectStore = Object.assign(Object.create(null) as ObjectStore, {
      get: async (key: string, range?: { start: number; end?: number }): Promise<GetResult> => {
        running++;
        peak = Math.max(peak, running);
        const result = await objects.get(key, range);
        result.body.once('close', () => running--);
        return result;
      },
    });
    const store = await open(metainfo, counting, new ReadLimiter(2));
    await Promise.all(Array.from({ length: metainfo.pieceCount }, (_, index) => store.readPiece(index)));
    expect(peak).toBeLessThanOrEqual(2);
    expect(peak).toBeGreaterThan(0);
  });

  it('a transient storage failure is tried again (three tries), a missing object is not', async () => {
    const metainfo = await build('v1', FILES);
    let calls = 0;
    let failures = 0;
    const flaky: ObjectStore = Object.assign(Object.create(null) as ObjectStore, {
      get: async (key: string, range?: { start: number; end?: number }): Promise<GetResult> => {
        calls++;
        if (failures > 0) {
          failures--;
          throw new StorageError('unavailable', 'connection reset', key);
        }
        return objects.get(key, range);
      },
    });
    const store = await open(metainfo, flaky, new ReadLimiter(1));
    failures = 2;
    expect(sha1(await store.readPiece(0)).equals(metainfo.pieces!.subarray(0, 20))).toBe(true);
    expect(calls).toBe(3);
    calls = 0;
    failures = 3;
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'io' });
    expect(calls).toBe(3);
    calls = 0;
    failures = 0;
    await objects.delete(releaseKeys.file(RELEASE_ID, 'a/first.bin'));
    await expect(store.readPiece(0)).rejects.toMatchObject({ code: 'missing' });
    expect(calls).toBe(1);
  });

  it('close() ends a read stalled in storage instead of waiting for it', async () => {
    const metainfo = await build('v1', FILES);
    const stalled = new Readable({ read() {} });
    const hanging: ObjectStore = Object.assign(Object.create(null) as ObjectStore, {
      get: async (_key: string, range?: { start: number; end?: number }): Promise<GetResult> => ({ body: stalled, size: 40_000, range: { start: range!.start, end: range!.end! } }),
    });
    const store = await open(metainfo, hanging);
    const read = store.readPiece(0).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    expect(await read).toMatchObject({ code: 'closed' });
    expect(stalled.destroyed).toBe(true);
  });
});

describe('keyMapper', () => {
  it('refuses a torrent whose files disagree with the release record', async () => {
    const metainfo = await build('v1', FILES);
    const other = release({ ...FILES, 'b.bin': Buffer.alloc(18) });
    expect(() => keyMapper(other, metainfo)).toThrow(/b\.bin.*not a file of the release record/);
  });
});
