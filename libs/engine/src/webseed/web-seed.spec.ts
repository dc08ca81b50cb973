import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { createTorrent, parseTorrent, pieceRange } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type TempDir } from '@seedfleet/testing';
import { RangeFileServer } from './testing/range-file-server';
import { corruptPieces, fetchPieces, range, webSeedFixture, type WebSeedFixture } from './testing/web-seed-fixture';
import { nextRun } from './run-planner';
import { WebSeed } from './web-seed';

const KiB = 1024;
let pool: HashPool;
let dir: TempDir;
let fixture: WebSeedFixture | undefined;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => (dir = await createTempDir('seedfleet-webseed-')));
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
  await dir.remove();
});

describe('WebSeed over real HTTP', () => {
  it('single-file torrent made with createTorrent: one Range request for the whole run, every piece verifies', async () => {
    const content = deterministicBytes(1_300_000, 'single');
    const created = await createTorrent([{ path: [], length: content.length, open: async function* () { yield content; } }], { name: 'payload.bin', pieceLength: 64 * KiB, version: 'v1', pool });
    const metainfo = parseTorrent(created.torrent);
    await writeFile(join(dir.path, 'payload.bin'), content);
    const server = await RangeFileServer.start(dir.path);
    const seed = new WebSeed(metainfo, `${server.origin}/files/payload.bin`);
    try {
      const { pieces, result } = await fetchPieces(seed, 0, metainfo.pieceCount);
      expect(result.error).toBeUndefined();
      expect(result.delivered).toEqual(range(0, metainfo.pieceCount));
      expect(Buffer.concat(result.delivered.map((index) => pieces.get(index)!)).equals(content)).toBe(true);
      expect(corruptPieces(metainfo, pieces)).toEqual([]);
      expect(server.rangeRequests.map((request) => [request.rawPath, request.range])).toEqual([['/files/payload.bin', { start: 0, end: content.length - 1 }]]);
      expect(seed.stats).toMatchObject({ requests: 1, bytesReceived: content.length, failures: 0 });
      expect(seed.bytesInFlight).toBe(0);
    } finally {
      seed.close();
      await server.close();
    }
  });

  it('single-file torrent with a directory URL (ending in /): the torrent name is appended', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'one file.bin', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'one file.bin', size: 50_000 }] }, pool);
    const seed = fixture.seed();
    expect(seed.fileUrl(0)).toBe(`${fixture.server.filesUrl}one%20file.bin`);
    const { pieces, result } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(pieces.size).toBe(fixture.torrent.metainfo.pieceCount);
  });

  it('multi-file hybrid torrent with pad files and names needing percent-encoding: pads are zeros never fetched', async () => {
    fixture = await webSeedFixture(
      dir.path,
      {
        name: 'release 1+1=2',
        version: 'hybrid',
        pieceLength: 16 * KiB,
        files: [
          { path: 'a b/c#1?.bin', size: 40_000 },
          { path: 'dir/100%.dat', size: 5_000 },
          { path: 'empty', size: 0 },
          { path: 'é ü/ñ&;.bin', size: 33_000 },
        ],
      },
      pool,
    );
    const { metainfo } = fixture.torrent;
    expect(metainfo.files.some((file) => file.pad)).toBe(true);
    const seed = fixture.seed();
    const { pieces, result } = await fetchPieces(seed, 0, metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(result.delivered).toEqual(range(0, metainfo.pieceCount));
    expect(corruptPieces(metainfo, pieces)).toEqual([]);
    // One request per non-empty file, whole file each, in piece-space order; no pad, no empty file.
    const base = '/files/release%201%2B1%3D2';
    expect(fixture.server.rangeRequests.map((request) => [request.rawPath, request.range])).toEqual([
      [`${base}/a%20b/c%231%3F.bin`, { start: 0, end: 39_999 }],
      [`${base}/dir/100%25.dat`, { start: 0, end: 4_999 }],
      [`${base}/%C3%A9%20%C3%BC/%C3%B1%26%3B.bin`, { start: 0, end: 32_999 }],
    ]);
    // Keep-alive: consecutive requests share one connection.
    expect(fixture.server.connections).toBe(1);
  });

  it('v2-only multi-file torrent: pieces end with their file, bytes match the files', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'v2', version: 'v2', pieceLength: 16 * KiB, files: [{ path: 'a', size: 20_000 }, { path: 'b', size: 40_000 }] }, pool);
    const { metainfo, pieces: expected } = fixture.torrent;
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    for (const [index, data] of pieces) expect(data.equals(expected[index])).toBe(true);
    expect(fixture.server.rangeRequests).toHaveLength(2);
  });

  it('coalesces adjacent missing pieces into one request per file, consecutive across a file boundary', async () => {
    // v1, 16 KiB pieces: a = 100,000 bytes (pieces 0-6), b = 150,000 (6-15), c = 30,000 (15-17)
    fixture = await webSeedFixture(
      dir.path,
      { name: 'c', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'a', size: 100_000 }, { path: 'b', size: 150_000 }, { path: 'c', size: 30_000 }] },
      pool,
    );
    const { metainfo } = fixture.torrent;
    const have = new Set([0, 1, 14]);
    const seed = fixture.seed();
    const fetched = new Map<number, Buffer>();
    const requestsPerRun: number[] = [];
    for (;;) {
      const run = nextRun(metainfo, (index) => !have.has(index) && !fetched.has(index), { minRunBytes: 64 * KiB, maxRunBytes: 1024 * KiB });
      if (!run) break;
      const before = fixture.server.rangeRequests.length;
      const { pieces, result } = await fetchPieces(seed, run.first, run.end);
      expect(result.error).toBeUndefined();
      for (const [index, data] of pieces) fetched.set(index, data);
      requestsPerRun.push(fixture.server.rangeRequests.length - before);
    }
    expect(corruptPieces(metainfo, fetched)).toEqual([]);
    expect([...fetched.keys()].sort((x, y) => x - y)).toEqual(range(0, metainfo.pieceCount).filter((index) => !have.has(index)));
    // Runs: pieces 2-13 (the end of a, the start of b), then 15-17 (the end of b, all of c): 2 requests each.
    expect(requestsPerRun).toEqual([2, 2]);
    const ranges = fixture.server.rangeRequests.map((request) => [request.file, request.range]);
    expect(ranges).toEqual([
      ['c/a', { start: pieceRange(metainfo, 2).start, end: 99_999 }],
      ['c/b', { start: 0, end: pieceRange(metainfo, 14).start - 100_000 - 1 }],
      ['c/b', { start: pieceRange(metainfo, 15).start - 100_000, end: 149_999 }],
      ['c/c', { start: 0, end: 29_999 }],
    ]);
  });

  it('1 MiB runs of a larger torrent are one request each and reuse one keep-alive connection', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'big.bin', version: 'v1', pieceLength: 64 * KiB, files: [{ path: 'big.bin', size: 5 * 1024 * KiB + 123 }] }, pool);
    const { metainfo } = fixture.torrent;
    const seed = fixture.seed({ maxConcurrentRequests: 1 });
    const fetched = new Map<number, Buffer>();
    for (;;) {
      const run = nextRun(metainfo, (index) => !fetched.has(index), { maxRunBytes: 1024 * KiB });
      if (!run) break;
      const { pieces } = await fetchPieces(seed, run.first, run.end);
      for (const [index, data] of pieces) fetched.set(index, data);
    }
    expect(fetched.size).toBe(metainfo.pieceCount);
    expect(corruptPieces(metainfo, fetched)).toEqual([]);
    const sizes = fixture.server.rangeRequests.map((request) => request.range!.end - request.range!.start + 1);
    expect(sizes).toEqual([1024 * KiB, 1024 * KiB, 1024 * KiB, 1024 * KiB, 1024 * KiB, 123]);
    expect(fixture.server.connections).toBe(1);
  });

  it('runs in parallel up to the request cap; beyond it and beyond the byte budget fetch is refused as busy', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'p.bin', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'p.bin', size: 320 * KiB }] }, pool);
    const { metainfo } = fixture.torrent;
    // Hold every reply until three are waiting, to show they are in flight at once.
    const waiting: (() => void)[] = [];
    fixture.server.script = (request, _req, res, server) =>
      new Promise((resolve) => {
        waiting.push(() => void server.serveFile(request, res).then(() => resolve(true)));
        if (waiting.length === 3) for (const go of waiting) go();
      });
    const seed = fixture.seed({ maxConcurrentRequests: 3, maxBytesInFlight: 160 * KiB });
    const runs = [fetchPieces(seed, 0, 4), fetchPieces(seed, 4, 8), fetchPieces(seed, 8, 10)];
    expect(seed.activeRequests).toBe(3);
    expect(seed.bytesInFlight).toBe(160 * KiB);
    expect(seed.canFetch(16 * KiB)).toBe(false);
    const refused = await fetchPieces(seed, 10, 11);
    expect(refused.result.error?.code).toBe('busy');
    expect(refused.result.undelivered).toEqual([10]);
    const results = await Promise.all(runs);
    expect(results.map((run) => run.result.delivered.length)).toEqual([4, 4, 2]);
    for (const run of results) expect(corruptPieces(metainfo, run.pieces)).toEqual([]);
    expect(seed.bytesInFlight).toBe(0);
    expect(seed.canFetch(160 * KiB)).toBe(true);
  });

  it('a run larger than the budget is allowed alone, not next to another', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'q.bin', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'q.bin', size: 64 * KiB }] }, pool);
    const seed = fixture.seed({ maxBytesInFlight: 32 * KiB });
    expect(seed.canFetch(64 * KiB)).toBe(true);
    const { result, pieces } = await fetchPieces(seed, 0, 4);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
  });

  it('a file missing on the server (404) fails the run with http-status, not retried', async () => {
    fixture = await webSeedFixture(dir.path, { name: 'm', version: 'v1', pieceLength: 16 * KiB, files: [{ path: 'x', size: 20_000 }, { path: 'y', size: 20_000 }] }, pool);
    const seed = fixture.seed({}, `${fixture.server.origin}/files/nothing-here/`);
    const { result, pieces } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toMatchObject({ code: 'http-status', status: 404 });
    expect(pieces.size).toBe(0);
    expect(fixture.server.rangeRequests).toHaveLength(1);
  });
});
