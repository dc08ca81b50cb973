import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HashReadError } from './errors';
import { HashPool } from './hash-pool';

const sha = (algorithm: string, bytes: Buffer): Buffer => createHash(algorithm).update(bytes).digest();
const BLOCK = 16384;

/** Block hashes and the root over them, padded to `width` zero leaves, folded naively. */
function referenceV2(data: Buffer, width: number): { blocks: Buffer; root: Buffer } {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += BLOCK) blocks.push(sha('sha256', data.subarray(offset, offset + BLOCK)));
  let layer = [...blocks];
  while (layer.length < width) layer.push(Buffer.alloc(32));
  while (layer.length > 1) layer = Array.from({ length: layer.length / 2 }, (_, i) => sha('sha256', Buffer.concat([layer[2 * i], layer[2 * i + 1]])));
  return { blocks: Buffer.concat(blocks), root: layer[0] };
}

describe('HashPool fill jobs (the worker reads file ranges itself)', () => {
  let pool: HashPool;
  let dir: string;
  beforeAll(() => (pool = new HashPool({ size: 2 })));
  afterAll(() => pool.close());
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'seedfleet-fill-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function file(name: string, bytes: Buffer): Promise<string> {
    await writeFile(join(dir, name), bytes);
    return join(dir, name);
  }

  it('hashes ranges of several files, across 64 KiB chunk edges, with zeros where no range is', async () => {
    const a = randomBytes(70_000);
    const b = randomBytes(5);
    const c = randomBytes(200_000);
    const [pa, pb, pc] = await Promise.all([file('a', a), file('b', b), file('c', c)]);
    const fill = [
      { path: pa, position: 1000, length: 69_000, at: 0, fileLength: 70_000 },
      { path: pb, position: 0, length: 5, at: 69_000, fileLength: 5 },
      { path: pc, position: 0, length: 100_000, at: 69_100 },
    ];
    const expected = Buffer.concat([a.subarray(1000), b, Buffer.alloc(95), c.subarray(0, 100_000), Buffer.alloc(31)]);
    const result = await pool.hash({ kind: 'sha1', length: expected.length, fill });
    expect(result.sha1).toEqual(sha('sha1', expected));
    expect(result.data).toHaveLength(0);
  });

  it('with pieceLength, hashes each piece of a job separately, from files or from memory', async () => {
    const bytes = randomBytes(3 * BLOCK + 100);
    const path = await file('pieces', bytes);
    const pieces = [0, 1, 2, 3].map((i) => sha('sha1', bytes.subarray(i * BLOCK, (i + 1) * BLOCK)));
    const fromFile = await pool.hash({ kind: 'sha1', pieceLength: BLOCK, length: bytes.length, fill: [{ path, position: 0, length: bytes.length, at: 0 }] });
    expect(fromFile.sha1).toEqual(Buffer.concat(pieces));
    const fromMemory = await pool.hash({ kind: 'sha1', pieceLength: BLOCK, data: new Uint8Array(bytes) });
    expect(fromMemory.sha1).toEqual(Buffer.concat(pieces));
    await expect(pool.hash({ kind: 'sha1', pieceLength: 0, data: new Uint8Array(1) })).rejects.toThrow(RangeError);
  });

  it('gives the same v2 and hybrid hashes as the bytes in memory, pad zeros in SHA-1 only', async () => {
    const bytes = randomBytes(3 * BLOCK + 77);
    const path = await file('f', bytes);
    const fill = [{ path, position: 0, length: bytes.length, at: 0, fileLength: bytes.length }];
    const v2 = await pool.hash({ kind: 'v2', length: bytes.length, fill, width: 8 });
    expect(v2.blockHashes).toEqual(referenceV2(bytes, 8).blocks);
    expect(v2.root).toEqual(referenceV2(bytes, 8).root);
    const piece = 8 * BLOCK;
    const hybrid = await pool.hash({ kind: 'hybrid', length: piece, v2Length: bytes.length, fill, width: 8 });
    expect(hybrid.sha1).toEqual(sha('sha1', Buffer.concat([bytes, Buffer.alloc(piece - bytes.length)])));
    expect(hybrid.root).toEqual(referenceV2(bytes, 8).root);
  });

  it('answers a batch of fill jobs with one result per job, in order, without block hashes; one bad file fails the batch', async () => {
    const a = randomBytes(3000);
    const b = randomBytes(BLOCK + 1);
    const [pa, pb] = await Promise.all([file('a', a), file('b', b)]);
    const result = await pool.hash({
      kind: 'batch',
      jobs: [
        { kind: 'sha1', length: a.length, fill: [{ path: pa, position: 0, length: a.length, at: 0, fileLength: a.length }] },
        { kind: 'v2', length: b.length, width: 2, fill: [{ path: pb, position: 0, length: b.length, at: 0, fileLength: b.length }] },
        { kind: 'hybrid', length: 4 * BLOCK, v2Length: b.length, width: 2, fill: [{ path: pb, position: 0, length: b.length, at: 0, fileLength: b.length }] },
        { kind: 'sha1', length: a.length, pieceLength: 1024, fill: [{ path: pa, position: 0, length: a.length, at: 0, fileLength: a.length }] },
      ],
    });
    const empty = Buffer.alloc(0);
    expect(result.results).toEqual([
      { data: empty, sha1: sha('sha1', a) },
      { data: empty, root: referenceV2(b, 2).root },
      { data: empty, sha1: sha('sha1', Buffer.concat([b, Buffer.alloc(4 * BLOCK - b.length)])), root: referenceV2(b, 2).root },
      { data: empty, sha1: Buffer.concat([0, 1024, 2048].map((at) => sha('sha1', a.subarray(at, at + 1024)))) },
    ]);
    const missing = { kind: 'sha1' as const, length: 1, fill: [{ path: join(dir, 'none'), position: 0, length: 1, at: 0 }] };
    await expect(pool.hash({ kind: 'batch', jobs: [missing] })).rejects.toMatchObject({ reason: 'unreadable', code: 'ENOENT' });
    await expect(pool.hash({ kind: 'batch', jobs: [{ kind: 'sha1', data: new Uint8Array(1) } as never] })).rejects.toThrow(TypeError);
  });

  it('fails with reason "longer" when a file goes on past its declared end', async () => {
    const path = await file('grew', randomBytes(70_000));
    // Ending inside the 64 KiB chunk, the read asks one byte more; ending with the chunk, a probe reads it.
    for (const length of [999, 65_536]) {
      const job = pool.hash({ kind: 'sha1', length, fill: [{ path, position: 0, length, at: 0, fileLength: length }] });
      await expect(job).rejects.toBeInstanceOf(HashReadError);
      await expect(job).rejects.toMatchObject({ path, reason: 'longer' });
    }
  });

  it('fails with reason "shorter" when a file ends before the range does', async () => {
    const path = await file('shrank', randomBytes(1000));
    const job = pool.hash({ kind: 'sha1', length: 1500, fill: [{ path, position: 0, length: 1500, at: 0, fileLength: 1500 }] });
    await expect(job).rejects.toMatchObject({ path, reason: 'shorter', message: expect.stringContaining('ended after 1000 bytes') });
  });

  it('fails with reason "unreadable" and the system code for a missing file, and keeps working', async () => {
    const path = join(dir, 'missing');
    const job = pool.hash({ kind: 'sha1', length: 10, fill: [{ path, position: 0, length: 10, at: 0 }] });
    await expect(job).rejects.toMatchObject({ path, reason: 'unreadable', code: 'ENOENT' });
    const ok = await file('ok', Buffer.from('fine'));
    expect((await pool.hash({ kind: 'sha1', length: 4, fill: [{ path: ok, position: 0, length: 4, at: 0, fileLength: 4 }] })).sha1).toEqual(sha('sha1', Buffer.from('fine')));
  });

  it('refuses ranges out of order, outside the job or not ending where their file length says', async () => {
    const range = { path: '/x', position: 0, length: 10, at: 0 };
    await expect(pool.hash({ kind: 'sha1', length: 20, fill: [{ ...range, at: 10 }, range] })).rejects.toThrow(RangeError);
    await expect(pool.hash({ kind: 'sha1', length: 5, fill: [range] })).rejects.toThrow(RangeError);
    await expect(pool.hash({ kind: 'sha1', length: 10, fill: [{ ...range, fileLength: 11 }] })).rejects.toThrow(RangeError);
    await expect(pool.hash({ kind: 'sha1', length: -1, fill: [] })).rejects.toThrow(RangeError);
  });
});
