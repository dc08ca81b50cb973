import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { StorageError, type ObjectStore, type StorageErrorCode } from '../object-store';

export interface StoreUnderTest {
  readonly store: ObjectStore;
  /** Unfinished uploads the adapter left behind: temp files (fs), multipart uploads (S3). */
  leftovers(): Promise<string[]>;
  /** Whether presignGet must return a URL (S3) or undefined (fs). */
  readonly presigns: boolean;
  /** A body size that takes the adapter's multipart path (more than one part). */
  readonly multipartBytes: number;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * The behaviour every ObjectStore adapter shares (STYLE.md 5): each adapter's spec calls this with a
 * factory that returns a fresh, empty store. List tests put more keys than one S3 page when the factory
 * sets a small page size.
 */
export function describeObjectStore(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`${name} (object store conformance)`, () => {
    let subject: StoreUnderTest;
    let store: ObjectStore;
    beforeEach(async () => {
      subject = await create();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.store.close();
      await subject.cleanup();
    });

    describe('put and get', () => {
      it('round-trips a Buffer and reports its size and SHA-256', async () => {
        const bytes = pattern(70_001, 1);
        const result = await store.put('releases/r1/files/a.bin', bytes);
        expect(result).toEqual({ key: 'releases/r1/files/a.bin', size: bytes.length, sha256: sha256(bytes) });
        const got = await store.get('releases/r1/files/a.bin');
        expect(got.size).toBe(bytes.length);
        expect(got.range).toEqual({ start: 0, end: bytes.length - 1 });
        expect((await readAll(got.body)).equals(bytes)).toBe(true);
      });

      it('round-trips a stream that arrives in many chunks', async () => {
        const bytes = pattern(300_000, 2);
        const result = await store.put('s/chunks.bin', chunked(bytes, 7_777));
        expect(result.sha256).toBe(sha256(bytes));
        expect((await readAll((await store.get('s/chunks.bin')).body)).equals(bytes)).toBe(true);
      });

      it('stores an empty object', async () => {
        const result = await store.put('empty/zero', Buffer.alloc(0));
        expect(result).toEqual({ key: 'empty/zero', size: 0, sha256: sha256(Buffer.alloc(0)) });
        const got = await store.get('empty/zero');
        expect(got.size).toBe(0);
        expect(got.range).toEqual({ start: 0, end: -1 });
        expect((await readAll(got.body)).length).toBe(0);
        expect((await store.head('empty/zero'))?.size).toBe(0);
        await expectStorageError(store.get('empty/zero', { start: 0 }), 'bad-range');
        expect((await store.put('empty/stream', Readable.from([]))).size).toBe(0);
      });

      it('streams a multi-part body through and leaves no unfinished upload', async () => {
        const size = subject.multipartBytes;
        const bytes = pattern(size, 3);
        const progress: number[] = [];
        const result = await store.put('big/multi.bin', chunked(bytes, MiB), { onProgress: (n) => progress.push(n) });
        expect(result).toEqual({ key: 'big/multi.bin', size, sha256: sha256(bytes) });
        expect(progress.at(-1)).toBe(size);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect(await subject.leftovers()).toEqual([]);
        expect((await store.head('big/multi.bin'))?.size).toBe(size);
        expect(sha256(await readAll((await store.get('big/multi.bin')).body))).toBe(result.sha256);
        const tail = await store.get('big/multi.bin', { start: size - 10 });
        expect((await readAll(tail.body)).equals(bytes.subarray(size - 10))).toBe(true);
      });

      it('overwrites a key', async () => {
        await store.put('o/k', Buffer.from('first version'));
        await store.put('o/k', Buffer.from('second'));
        expect((await readAll((await store.get('o/k')).body)).toString()).toBe('second');
        expect((await store.head('o/k'))?.size).toBe(6);
      });

      it('fails get of a missing key with not-found', async () => {
        const error = await expectStorageError(store.get('missing/key.bin'), 'not-found');
        expect(error.message).toContain('missing/key.bin');
      });
    });

    describe('ranges', () => {
      const bytes = pattern(1000, 4);
      beforeEach(async () => {
        await store.put('ranged.bin', bytes);
      });

      it.each([
        ['the first byte', { start: 0, end: 0 }, 0, 0],
        ['the last byte', { start: 999, end: 999 }, 999, 999],
        ['a middle slice', { start: 100, end: 199 }, 100, 199],
        ['an open end', { start: 990 }, 990, 999],
        ['an end past the object', { start: 995, end: 5000 }, 995, 999],
        ['everything', { start: 0 }, 0, 999],
      ])('returns %s', async (_name, range, start, end) => {
        const got = await store.get('ranged.bin', range);
        expect(got.size).toBe(1000);
        expect(got.range).toEqual({ start, end });
        expect((await readAll(got.body)).equals(bytes.subarray(start, end + 1))).toBe(true);
      });

      it.each([
        ['a start at the end', { start: 1000 }],
        ['a start past the end', { start: 2000, end: 3000 }],
        ['a negative start', { start: -1 }],
        ['an end before the start', { start: 10, end: 9 }],
        ['a fractional start', { start: 1.5 }],
      ])('refuses %s with bad-range', async (_name, range) => {
        await expectStorageError(store.get('ranged.bin', range), 'bad-range');
      });
    });

    describe('head', () => {
      it('gives size and modification time, or undefined when missing', async () => {
        const before = Date.now();
        await store.put('h/one', Buffer.from('12345'));
        const info = await store.head('h/one');
        expect(info?.key).toBe('h/one');
        expect(info?.size).toBe(5);
        expect(isDate(info?.lastModified)).toBe(true);
        // Second-granular stores (S3) round down; a minute of slack absorbs clock differences.
        expect(Math.abs((info?.lastModified.getTime() ?? 0) - before)).toBeLessThan(60_000);
        expect(await store.head('h/two')).toBeUndefined();
        expect(await store.head('h')).toBeUndefined();
      });
    });

    describe('list', () => {
      // Bytewise order puts '-' (0x2d) before '/' (0x2f): a naive directory walk gets this wrong.
      const keys = ['r/1/manifest.json', 'r/1/files/b.bin', 'r/1/files/a/x.bin', 'r/1/files-extra', 'r/1/files/a-b.bin', 'r/10/files/a.bin', 'r/2/x', 'meta/p.json', 'r/1/files/a/y.bin', 'r/1/files/Z.bin'];
      beforeEach(async () => {
        for (const [index, key] of keys.entries()) await store.put(key, Buffer.alloc(index + 1, index));
      });

      it('lists every key under a prefix, recursively, sorted bytewise, across pages', async () => {
        const all = await collect(store.list(''));
        expect(all.map((info) => info.key)).toEqual(sortBytewise(keys));
        expect(all.find((info) => info.key === 'r/2/x')?.size).toBe(keys.indexOf('r/2/x') + 1);
        expect(all.every((info) => isDate(info.lastModified))).toBe(true);
      });

      it('treats the prefix as a string prefix of keys, not a directory', async () => {
        expect((await collect(store.list('r/1/'))).map((info) => info.key)).toEqual(sortBytewise(keys.filter((key) => key.startsWith('r/1/'))));
        expect((await collect(store.list('r/1'))).map((info) => info.key)).toEqual(sortBytewise(keys.filter((key) => key.startsWith('r/1'))));
        expect((await collect(store.list('r/1/files/a'))).map((info) => info.key)).toEqual(['r/1/files/a-b.bin', 'r/1/files/a/x.bin', 'r/1/files/a/y.bin']);
        expect(await collect(store.list('nothing/here/'))).toEqual([]);
        expect((await collect(store.list('r/2/x'))).map((info) => info.key)).toEqual(['r/2/x']);
      });

      it('does not show a key being written until its put completes', async () => {
        const body = new PassThrough();
        const progress: number[] = [];
        const putting = store.put('r/3/pending.bin', body, { onProgress: (n) => progress.push(n) });
        body.write(pattern(1000, 5));
        await until(() => progress.length > 0);
        expect((await collect(store.list(''))).map((info) => info.key)).toEqual(sortBytewise(keys));
        body.end();
        await putting;
        expect((await collect(store.list('r/3/'))).map((info) => info.key)).toEqual(['r/3/pending.bin']);
      });
    });

    describe('delete', () => {
      it('removes the object and is idempotent', async () => {
        await store.put('d/a/one', Buffer.from('1'));
        await store.put('d/a/two', Buffer.from('2'));
        await store.delete('d/a/one');
        expect(await store.head('d/a/one')).toBeUndefined();
        await expectStorageError(store.get('d/a/one'), 'not-found');
        await store.delete('d/a/one');
        await store.delete('d/never/existed');
        expect((await collect(store.list('d/'))).map((info) => info.key)).toEqual(['d/a/two']);
        await store.delete('d/a/two');
        expect(await collect(store.list(''))).toEqual([]);
        await store.put('d/a/three', Buffer.from('3'));
        expect((await store.head('d/a/three'))?.size).toBe(1);
      });
    });

    describe('keys', () => {
      const badKeys = ['', '/absolute', 'a/../b', '..', 'a/./b', '.', 'a//b', 'trailing/', 'back\\slash', 'nul\0byte', 'ctl\nline', 'x'.repeat(1025), 'lone\ud800surrogate'];

      it.each(badKeys.map((key) => [JSON.stringify(key).slice(0, 40), key]))('refuses %s everywhere with bad-key', async (_name, key) => {
        await expectStorageError(store.put(key, Buffer.from('x')), 'bad-key');
        await expectStorageError(store.get(key), 'bad-key');
        await expectStorageError(store.head(key), 'bad-key');
        await expectStorageError(store.delete(key), 'bad-key');
        await expectStorageError(store.presignGet(key, { expiresInSeconds: 60 }), 'bad-key');
      });

      it('refuses list prefixes that escape or are malformed', async () => {
        for (const prefix of ['../', '/abs', 'a//', 'a\\b']) await expectStorageError(collect(store.list(prefix)), 'bad-key');
      });

      it('accepts keys with spaces, unicode and dots inside segments', async () => {
        const key = 'releases/rel_01/files/dir with space/ünïcødé…/v1.2.3+build.tar.gz';
        await store.put(key, Buffer.from('odd'));
        expect((await readAll((await store.get(key)).body)).toString()).toBe('odd');
        expect((await collect(store.list('releases/rel_01/'))).map((info) => info.key)).toEqual([key]);
      });
    });

    describe('limits and aborts', () => {
      it('accepts exactly maxBytes and fails one byte more with too-large, keeping the old object', async () => {
        await store.put('lim/a.bin', Buffer.from('old'));
        expect((await store.put('lim/a.bin', pattern(3000, 6), { maxBytes: 3000 })).size).toBe(3000);
        await store.put('lim/a.bin', Buffer.from('old'));
        const error = await expectStorageError(store.put('lim/a.bin', chunked(pattern(3001, 7), 1000), { maxBytes: 3000 }), 'too-large');
        expect(error.message).toContain('lim/a.bin');
        expect((await readAll((await store.get('lim/a.bin')).body)).toString()).toBe('old');
        await expectStorageError(store.put('lim/new.bin', pattern(10, 8), { maxBytes: 9 }), 'too-large');
        expect(await store.head('lim/new.bin')).toBeUndefined();
        expect(await subject.leftovers()).toEqual([]);
      });

      it('fails a multi-part body past maxBytes with too-large and leaves nothing', async () => {
        const size = subject.multipartBytes;
        await expectStorageError(store.put('lim/big.bin', chunked(pattern(size, 9), MiB), { maxBytes: size - 1 }), 'too-large');
        expect(await store.head('lim/big.bin')).toBeUndefined();
        expect(await subject.leftovers()).toEqual([]);
      });

      it('stops a put aborted mid-stream and leaves nothing', async () => {
        const size = subject.multipartBytes;
        const body = new PassThrough();
        const controller = new AbortController();
        let accepted = 0;
        const putting = store.put('ab/mid.bin', body, { signal: controller.signal, onProgress: (n) => (accepted = n) });
        const bytes = pattern(size, 10);
        // More than one part goes in before the abort, so the multipart path has something to undo.
        for (let offset = 0; offset < size - MiB; offset += MiB) {
          if (!body.write(bytes.subarray(offset, offset + MiB))) await new Promise((resolve) => body.once('drain', resolve));
        }
        await until(() => accepted > 0);
        controller.abort(new Error('operator cancelled'));
        const error = await expectStorageError(putting, 'aborted');
        expect(error.message).toContain('ab/mid.bin');
        expect(await store.head('ab/mid.bin')).toBeUndefined();
        expect(await subject.leftovers()).toEqual([]);
        expect(await collect(store.list(''))).toEqual([]);
      });

      it('refuses a put whose signal is already aborted', async () => {
        const controller = new AbortController();
        controller.abort();
        await expectStorageError(store.put('ab/early', Buffer.from('x'), { signal: controller.signal }), 'aborted');
        expect(await store.head('ab/early')).toBeUndefined();
      });

      it('fails with aborted when the body stream errors, and leaves nothing', async () => {
        const body = new PassThrough();
        const putting = store.put('ab/broken.bin', body);
        body.write(pattern(5000, 11));
        body.destroy(new Error('client went away'));
        const error = await expectStorageError(putting, 'aborted');
        expect(error.message).toContain('ab/broken.bin');
        expect(error.message).toContain('client went away');
        expect(await store.head('ab/broken.bin')).toBeUndefined();
        expect(await subject.leftovers()).toEqual([]);
      });
    });

    describe('atomic overwrite', () => {
      it('shows readers the old object while a new one is being written, then the new one', async () => {
        const oldBytes = pattern(200_000, 12);
        const newBytes = pattern(300_000, 13);
        await store.put('at/k.bin', oldBytes);
        const body = new PassThrough();
        let accepted = 0;
        const putting = store.put('at/k.bin', body, { onProgress: (n) => (accepted = n) });
        body.write(newBytes.subarray(0, 150_000));
        await until(() => accepted > 0);
        expect(sha256(await readAll((await store.get('at/k.bin')).body))).toBe(sha256(oldBytes));
        expect((await store.head('at/k.bin'))?.size).toBe(oldBytes.length);
        body.end(newBytes.subarray(150_000));
        await putting;
        expect(sha256(await readAll((await store.get('at/k.bin')).body))).toBe(sha256(newBytes));
      });
    });

    describe('presignGet', () => {
      it('gives a URL that serves the bytes without credentials, or undefined when the adapter cannot', async () => {
        const bytes = pattern(40_000, 14);
        await store.put('p/file.bin', bytes);
        const url = await store.presignGet('p/file.bin', { expiresInSeconds: 300, responseContentDisposition: 'attachment; filename="file.bin"' });
        if (!subject.presigns) {
          expect(url).toBeUndefined();
          return;
        }
        expect(url).toMatch(/^https?:\/\//);
        const response = await fetchUrl(url as string);
        expect(response.status).toBe(200);
        expect(response.body.equals(bytes)).toBe(true);
        expect(response.headers['content-disposition']).toBe('attachment; filename="file.bin"');
        const ranged = await fetchUrl(url as string, { range: 'bytes=10-19' });
        expect(ranged.status).toBe(206);
        expect(ranged.body.equals(bytes.subarray(10, 20))).toBe(true);
      });
    });

    it('describes itself in one line', () => {
      const description = store.describe();
      expect(description.length).toBeGreaterThan(3);
      expect(description).not.toContain('\n');
    });
  });
}

export function pattern(size: number, seed: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let state = seed * 2654435761 + 1;
  for (let index = 0; index < size; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

export function chunked(bytes: Buffer, chunkSize: number): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export async function expectStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StorageError);
  expect((error as StorageError).code).toBe(code);
  return error as StorageError;
}

/** Realm-independent: Dates made by Node's own modules are not instances of the test realm's Date. */
function isDate(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function sortBytewise(keys: string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Polls a condition the store reports through a callback (progress), for at most 10 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function fetchUrl(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    }).on('error', reject);
  });
}
