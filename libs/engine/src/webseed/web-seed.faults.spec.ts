import { HashPool } from '@seedfleet/hashing';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import {
  closeMidBody,
  corruptBytes,
  endlessBody,
  type Fault,
  faultFirst,
  gzipped,
  ignoresRange,
  longerContentLength,
  neverAnswer,
  noContentRange,
  otherFileSize,
  resetMidBody,
  shiftedContentRange,
  shortBody,
  slowDrip,
  stallAfterHeaders,
  unavailable,
} from './testing/faults';
import { corruptPieces, fetchPieces, range, webSeedFixture, type WebSeedFixture } from './testing/web-seed-fixture';
import type { WebSeedError, WebSeedErrorCode } from './web-seed-error';

const KiB = 1024;
let pool: HashPool;
let dir: TempDir;
let fixture: WebSeedFixture;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => {
  dir = await createTempDir('seedfleet-webseed-faults-');
  // 13 pieces of 16 KiB in one file: a whole-torrent run is one 200 KiB request.
  fixture = await webSeedFixture(dir.path, { name: 'f.bin', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'f.bin', size: 200 * KiB }] }, pool);
});
afterEach(async () => {
  await fixture.close();
  await dir.remove();
});

const allPieces = () => range(0, fixture.torrent.metainfo.pieceCount);

describe('web seed faults that pass: the run retries and ends with every piece correct', () => {
  it.each<[string, WebSeedErrorCode, Fault, number[]]>([
    // Two failures, two waits: Retry-After when given, else the doubling backoff (2 s, 4 s; jitter 0.75 here).
    ['503 with Retry-After in seconds', 'unavailable', unavailable('1'), [1000, 1000]],
    ['503 without Retry-After (own backoff)', 'unavailable', unavailable(), [1500, 3000]],
    ['502', 'http-status', (_request, res) => void res.writeHead(502).end(), [1500, 3000]],
    ['a reset mid-body', 'connection', resetMidBody, [1500, 3000]],
    ['a body that ends short', 'body-too-short', shortBody, [1500, 3000]],
    ['a slow drip', 'too-slow', slowDrip(), [1500, 3000]],
    ['a stall after the headers', 'stalled', stallAfterHeaders, [1500, 3000]],
    ['no answer at all', 'stalled', neverAnswer, [1500, 3000]],
  ])('%s (%s), twice', async (_name, code, fault, waits) => {
    fixture.server.script = faultFirst(2, fault);
    const seed = fixture.seed();
    const errors: WebSeedError[] = [];
    const pieces = new Map<number, Buffer>();
    const result = await seed.fetch({ first: 0, end: fixture.torrent.metainfo.pieceCount, onPiece: (index, data) => pieces.set(index, data), onError: (error) => errors.push(error) });
    expect(errors.map((error) => error.code)).toEqual([code, code]);
    expect(result.error).toBeUndefined();
    expect(result.delivered).toEqual(allPieces());
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(seed.stats).toMatchObject({ failures: 2, strikes: 0 });
    expect(fixture.warp.waits).toEqual(waits);
  });

  it('503 with Retry-After as an HTTP date waits until that date (on the injected wall clock)', async () => {
    fixture.server.script = faultFirst(1, unavailable('Sat, 21 Nov 2026 20:00:07 GMT'));
    const seed = fixture.seed({ wallClock: () => Date.parse('Sat, 21 Nov 2026 20:00:00 GMT') });
    const { pieces, result } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(fixture.warp.waits).toEqual([7000]);
  });

  it('a Retry-After longer than maxRetryAfterMs is cut to it, and the whole seed waits meanwhile', async () => {
    fixture.server.script = faultFirst(1, unavailable('86400'));
    const seed = fixture.seed({ maxRetryAfterMs: 60_000 });
    const run = fetchPieces(seed, 0, 6);
    // Once the 503 is in, the seed refuses new runs until the wait is over.
    await until(() => seed.backoffMs > 0);
    expect(seed.canFetch(16 * KiB)).toBe(false);
    expect(fixture.warp.waits).toEqual([60_000]);
    const { pieces, result } = await run;
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
  });

  it('after a reset the retry asks only for the bytes still missing', async () => {
    fixture.server.script = faultFirst(1, resetMidBody);
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    const [first, second] = fixture.server.rangeRequests.map((request) => request.range!);
    expect(first).toEqual({ start: 0, end: 200 * KiB - 1 });
    // A reset may drop what the kernel had not handed over yet, so the retry starts at or before the cut.
    expect(second.end).toBe(200 * KiB - 1);
    expect(second.start).toBeLessThanOrEqual(100 * KiB);
  });

  it('after a connection closed mid-body the retry starts exactly at the first missing byte; earlier pieces are not fetched again', async () => {
    fixture.server.script = faultFirst(1, closeMidBody);
    const requestsAtDelivery: number[] = [];
    const seed = fixture.seed();
    const pieces = new Map<number, Buffer>();
    const errors: WebSeedError[] = [];
    const result = await seed.fetch({
      first: 0,
      end: fixture.torrent.metainfo.pieceCount,
      onPiece: (index, data) => {
        pieces.set(index, data);
        requestsAtDelivery.push(fixture.server.rangeRequests.length);
      },
      onError: (error) => errors.push(error),
    });
    expect(result.error).toBeUndefined();
    expect(errors.map((error) => error.code)).toEqual(['connection']);
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(fixture.server.rangeRequests.map((request) => request.range)).toEqual([
      { start: 0, end: 200 * KiB - 1 },
      { start: 100 * KiB, end: 200 * KiB - 1 },
    ]);
    // Pieces 0-5 (96 KiB) came whole from the first reply; piece 6 straddles the cut and is finished by the retry.
    expect(requestsAtDelivery.slice(0, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(requestsAtDelivery.slice(6).every((count) => count === 2)).toBe(true);
  });
});

describe('web seed faults that fail: a typed error, never corrupt data', () => {
  it.each<[string, WebSeedErrorCode, Fault]>([
    ['200 with the whole file to a Range request', 'range-ignored', ignoresRange],
    ['a Content-Range shifted by one byte', 'bad-content-range', shiftedContentRange],
    ['no Content-Range', 'bad-content-range', noContentRange],
    ['a Content-Range with another file size', 'bad-content-range', otherFileSize],
    ['a Content-Length longer than the range', 'body-too-long', longerContentLength],
    ['a gzip body', 'bad-encoding', gzipped],
    ['an endless body', 'body-too-long', endlessBody],
  ])('%s: %s, not retried, a strike', async (_name, code, fault) => {
    fixture.server.script = faultFirst(Infinity, fault);
    const seed = fixture.seed();
    const { pieces, result } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error?.code).toBe(code);
    expect(result.error?.url).toBe(`${fixture.server.filesUrl}f.bin`);
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect([...result.delivered, ...result.undelivered].sort((a, b) => a - b)).toEqual(allPieces());
    // The last piece of the reply is only handed over after a clean end, which never came.
    expect(result.undelivered).toContain(fixture.torrent.metainfo.pieceCount - 1);
    expect(fixture.server.rangeRequests).toHaveLength(1);
    expect(seed.stats.strikes).toBe(1);
  });

  it('an endless body: the pieces before its end are delivered and correct', async () => {
    fixture.server.script = faultFirst(Infinity, endlessBody);
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error?.code).toBe('body-too-long');
    expect(pieces.size).toBeGreaterThan(0);
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
  });

  it.each<[string, WebSeedErrorCode, Fault]>([
    ['503 forever', 'unavailable', unavailable('1')],
    ['a reset every time', 'connection', resetMidBody],
    ['a slow drip every time', 'too-slow', slowDrip()],
    ['a stall every time', 'stalled', stallAfterHeaders],
  ])('%s: gives up after maxAttempts with %s', async (_name, code, fault) => {
    fixture.server.script = faultFirst(Infinity, fault);
    const seed = fixture.seed({ maxAttempts: 3 });
    const { pieces, result } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error?.code).toBe(code);
    expect(result.error?.retryable).toBe(true);
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(result.undelivered.length).toBeGreaterThan(0);
    expect(fixture.server.rangeRequests).toHaveLength(3);
    expect(seed.stats.strikes).toBe(0);
    expect(seed.disabled).toBe(false);
  });

  it('a fault in the second file of a run: the first file\'s pieces arrive, the rest are given back', async () => {
    await fixture.close();
    // v1, 16 KiB pieces: a = 40,000 bytes (pieces 0-2), b = 60,000 (2-6)
    fixture = await webSeedFixture(dir.path, { name: 'm', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'a', size: 40_000 }, { path: 'b', size: 60_000 }] }, pool);
    fixture.server.script = (request, req, res, server) => (request.file === 'm/b' ? faultFirst(Infinity, shiftedContentRange)(request, req, res, server) : false);
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error?.code).toBe('bad-content-range');
    expect(result.delivered).toEqual([0, 1]);
    expect(result.undelivered).toEqual([2, 3, 4, 5, 6]);
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
  });
});

describe('strikes and disabling', () => {
  it('bad pieces reported by the caller disable the seed after maxStrikes; a disabled seed fetches nothing', async () => {
    const seed = fixture.seed({ maxStrikes: 3 });
    seed.reportBadPiece(1);
    seed.reportBadPiece(2);
    expect(seed.disabled).toBe(false);
    seed.reportBadPiece(3);
    expect(seed.disabled).toBe(true);
    expect(seed.disabledReason).toMatch(/3 strikes.*piece 3 failed verification/);
    expect(seed.canFetch(16 * KiB)).toBe(false);
    const { result } = await fetchPieces(seed, 0, 2);
    expect(result.error?.code).toBe('disabled');
    expect(result.undelivered).toEqual([0, 1]);
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('well-formed replies with wrong bytes: the engine\'s hash check catches them, its reports disable the seed', async () => {
    // Bytes flipped in pieces 1 and 5 of every reply.
    fixture.server.script = faultFirst(Infinity, corruptBytes([16 * KiB + 7, 5 * 16 * KiB]));
    const { metainfo } = fixture.torrent;
    const seed = fixture.seed({ maxStrikes: 2 });
    const { pieces, result } = await fetchPieces(seed, 0, metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    const bad = corruptPieces(metainfo, pieces);
    expect(bad).toEqual([1, 5]);
    for (const index of bad) seed.reportBadPiece(index);
    expect(seed.disabled).toBe(true);
    expect(seed.disabledReason).toMatch(/2 strikes, the last: piece 5 failed verification/);
    expect((await fetchPieces(seed, 1, 2)).result.error?.code).toBe('disabled');
  });

  it('an onPiece that throws ends the run as aborted, with the error as its cause, and no strike or retry', async () => {
    const seed = fixture.seed();
    const bug = new Error('store is gone');
    const result = await seed.fetch({
      first: 0,
      end: 6,
      onPiece: (index) => {
        if (index === 2) throw bug;
      },
    });
    expect(result.error?.code).toBe('aborted');
    expect(result.error?.cause).toBe(bug);
    expect(result.delivered).toEqual([0, 1, 2]);
    expect(result.undelivered).toEqual([3, 4, 5]);
    expect(seed.stats.strikes).toBe(0);
    expect(fixture.server.rangeRequests).toHaveLength(1);
    expect(seed.bytesInFlight).toBe(0);
    // The seed itself is fine.
    const again = await fetchPieces(seed, 3, 6);
    expect(again.result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, again.pieces)).toEqual([]);
  });

  it('protocol violations count as strikes: a seed that ignores Range is disabled after maxStrikes runs', async () => {
    fixture.server.script = faultFirst(Infinity, ignoresRange);
    const seed = fixture.seed({ maxStrikes: 2 });
    await fetchPieces(seed, 0, 2);
    expect(seed.disabled).toBe(false);
    await fetchPieces(seed, 2, 4);
    expect(seed.disabled).toBe(true);
  });

  it('disable() ends a running fetch with "disabled"; close() ends one with "aborted"; so does the caller\'s signal', async () => {
    fixture.server.script = faultFirst(Infinity, slowDrip(50));
    const seed = fixture.seed({ minBytesPerSecond: 0, stallTimeoutMs: 60_000 });
    const first = fetchPieces(seed, 0, 2);
    await until(() => fixture.server.requests.length === 1);
    seed.disable('operator said so');
    expect((await first).result.error?.code).toBe('disabled');

    const other = fixture.seed({ minBytesPerSecond: 0, stallTimeoutMs: 60_000 });
    const second = fetchPieces(other, 0, 2);
    await until(() => fixture.server.requests.length === 2);
    other.close();
    expect((await second).result.error?.code).toBe('aborted');

    const third = fixture.seed({ minBytesPerSecond: 0, stallTimeoutMs: 60_000 });
    const controller = new AbortController();
    const run = fetchPieces(third, 0, 2, controller.signal);
    await until(() => fixture.server.requests.length === 3);
    controller.abort();
    const { result } = await run;
    expect(result.error?.code).toBe('aborted');
    expect(result.undelivered).toEqual([0, 1]);
    expect(third.bytesInFlight).toBe(0);
    expect(third.activeRequests).toBe(0);
  });
});

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
