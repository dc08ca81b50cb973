import { createHash, randomBytes } from 'node:crypto';
import { waitFor } from '@seedfleet/testing';
import { HashPoolClosedError, HashWorkerCrashedError } from './errors';
import type { HashJob } from './hash-job';
import { HashPool } from './hash-pool';

const sha = (algorithm: string, ...parts: Buffer[]): Buffer => createHash(algorithm).update(Buffer.concat(parts)).digest();
const BLOCK = 16384;

/** Block hashes and the root over them, expanded to `width` zero leaves and folded naively. */
function referenceV2(data: Buffer, width: number): { blocks: Buffer[]; root: Buffer } {
  const blocks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += BLOCK) blocks.push(sha('sha256', data.subarray(offset, offset + BLOCK)));
  let layer = [...blocks];
  while (layer.length < width) layer.push(Buffer.alloc(32));
  while (layer.length > 1) layer = Array.from({ length: layer.length / 2 }, (_, i) => sha('sha256', layer[2 * i], layer[2 * i + 1]));
  return { blocks, root: layer[0] };
}

/** A fresh ArrayBuffer of exactly the data, as the pool can transfer it. */
const owned = (bytes: Buffer): Uint8Array => new Uint8Array(bytes);

describe('HashPool', () => {
  let pool: HashPool;
  afterEach(() => pool.close());

  it('computes SHA-1 like node:crypto for any size, in parallel', async () => {
    pool = new HashPool({ size: 2 });
    const inputs = [0, 1, 100, 16384, 65537, 1 << 20].map((size) => randomBytes(size));
    const results = await Promise.all(inputs.map((input) => pool.hash({ kind: 'sha1', data: owned(input) })));
    expect(results.map((result) => result.sha1)).toEqual(inputs.map((input) => sha('sha1', input)));
    expect(results.map((result) => result.data)).toEqual(inputs);
  });

  it.each([
    [BLOCK * 4, undefined, 4],
    [BLOCK * 3 + 1, undefined, 4],
    [100, undefined, 1],
    [BLOCK * 2, 16, 16],
  ])('hashes a v2 piece of %i bytes (width %s) into block hashes and the padded subtree root', async (size, width, expectedWidth) => {
    pool = new HashPool({ size: 1 });
    const data = randomBytes(size);
    const result = await pool.hash({ kind: 'v2', data: owned(data), width });
    const reference = referenceV2(data, expectedWidth);
    expect(result.blockHashes).toEqual(Buffer.concat(reference.blocks));
    expect(result.root).toEqual(reference.root);
  });

  it('hashes a hybrid piece: SHA-1 over the padded piece, v2 over the file bytes only', async () => {
    pool = new HashPool({ size: 1 });
    const piece = Buffer.alloc(BLOCK * 4);
    randomBytes(BLOCK + 5).copy(piece);
    const result = await pool.hash({ kind: 'hybrid', data: owned(piece), v2Length: BLOCK + 5, width: 4 });
    const reference = referenceV2(piece.subarray(0, BLOCK + 5), 4);
    expect(result.sha1).toEqual(sha('sha1', piece));
    expect(result.blockHashes).toEqual(Buffer.concat(reference.blocks));
    expect(result.root).toEqual(reference.root);
  });

  it('transfers a buffer it owns entirely and copies a view into shared memory', async () => {
    pool = new HashPool({ size: 1 });
    const whole = new Uint8Array(1000).fill(7);
    const pooled = Buffer.from('small strings live in the shared Buffer pool');
    const [wholeResult, pooledResult] = await Promise.all([pool.hash({ kind: 'sha1', data: whole }), pool.hash({ kind: 'sha1', data: pooled })]);
    expect(whole.byteLength).toBe(0);
    expect(wholeResult.data).toEqual(Buffer.alloc(1000, 7));
    expect(pooled.toString()).toBe('small strings live in the shared Buffer pool');
    expect(pooledResult.sha1).toEqual(sha('sha1', pooled));
  });

  it('rejects bad widths and lengths before queueing', async () => {
    pool = new HashPool({ size: 1 });
    await expect(pool.hash({ kind: 'v2', data: new Uint8Array(BLOCK * 3), width: 2 })).rejects.toThrow(RangeError);
    await expect(pool.hash({ kind: 'v2', data: new Uint8Array(10), width: 3 })).rejects.toThrow(RangeError);
    await expect(pool.hash({ kind: 'hybrid', data: new Uint8Array(10), v2Length: 11 })).rejects.toThrow(RangeError);
  });

  it('rejects the jobs of a crashed worker with a typed error, replaces it and keeps hashing', async () => {
    // One job per worker: the healthy job runs on a second thread, not queued behind the crash.
    pool = new HashPool({ size: 2, jobsPerWorker: 1 });
    // A kind the worker does not know makes it throw, which is how a real crash (a bug, OOM) looks to the pool.
    const crashing = pool.hash({ kind: 'explode', data: new Uint8Array(1) } as unknown as HashJob);
    const healthy = pool.hash({ kind: 'sha1', data: owned(Buffer.from('still fine')) });
    await expect(crashing).rejects.toBeInstanceOf(HashWorkerCrashedError);
    await expect(crashing).rejects.toMatchObject({ jobKind: 'explode', exitCode: 1, cause: expect.objectContaining({ message: expect.stringContaining('unknown hash job kind') }) });
    expect((await healthy).sha1).toEqual(sha('sha1', Buffer.from('still fine')));
    const after = await Promise.all([1, 2, 3, 4].map((n) => pool.hash({ kind: 'sha1', data: owned(Buffer.alloc(n, n)) })));
    expect(after.map((result) => result.sha1)).toEqual([1, 2, 3, 4].map((n) => sha('sha1', Buffer.alloc(n, n))));
  });

  it('accepts at most maxPending jobs: submit waits until a result frees a slot', async () => {
    pool = new HashPool({ size: 1, maxPending: 2 });
    const first = await pool.submit({ kind: 'sha1', data: owned(randomBytes(1 << 20)) });
    await pool.submit({ kind: 'sha1', data: owned(randomBytes(10)) });
    let thirdAccepted = false;
    const third = pool.submit({ kind: 'sha1', data: owned(randomBytes(10)) }).then((ticket) => {
      thirdAccepted = true;
      return ticket;
    });
    // Worker replies arrive as macrotasks, so no slot can have been freed within these microtask turns.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(thirdAccepted).toBe(false);
    await first.result;
    await (await third).result;
    expect(thirdAccepted).toBe(true);
  });

  it('never holds more than maxPending unfinished jobs under a fast producer', async () => {
    pool = new HashPool({ size: 2, maxPending: 3 });
    let peak = 0;
    const results: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i++) {
      const { result } = await pool.submit({ kind: 'sha1', data: owned(randomBytes(64 * 1024)) });
      peak = Math.max(peak, pool.pending);
      results.push(result);
    }
    await Promise.all(results);
    expect(pool.pending).toBe(0);
    expect(peak).toBe(3);
  });

  it('stops waiting for a slot when the signal aborts', async () => {
    pool = new HashPool({ size: 1, maxPending: 1 });
    const first = await pool.submit({ kind: 'sha1', data: owned(randomBytes(1 << 20)) });
    const controller = new AbortController();
    const waiting = pool.submit({ kind: 'sha1', data: new Uint8Array(1) }, controller.signal);
    controller.abort(new Error('user gave up'));
    await expect(waiting).rejects.toThrow('user gave up');
    await first.result;
    expect((await pool.hash({ kind: 'sha1', data: new Uint8Array(1) })).sha1).toEqual(sha('sha1', Buffer.alloc(1)));
  });

  it('close() rejects unfinished and later jobs with HashPoolClosedError', async () => {
    pool = new HashPool({ size: 1, maxPending: 8 });
    const tickets = await Promise.all([1, 2, 3].map(() => pool.submit({ kind: 'sha1', data: owned(randomBytes(1 << 20)) })));
    const settled = Promise.allSettled(tickets.map((ticket) => ticket.result));
    await pool.close();
    const outcomes = await settled;
    expect(outcomes.some((outcome) => outcome.status === 'rejected' && outcome.reason instanceof HashPoolClosedError)).toBe(true);
    await expect(pool.hash({ kind: 'sha1', data: new Uint8Array(1) })).rejects.toBeInstanceOf(HashPoolClosedError);
  });

  it('starts threads lazily: none before the first job, one while it keeps up, more only under a backlog', async () => {
    pool = new HashPool({ size: 3, jobsPerWorker: 1 });
    expect(pool.threads).toBe(0);
    for (let n = 1; n <= 3; n++) await pool.hash({ kind: 'sha1', data: owned(Buffer.alloc(n, n)) });
    expect(pool.threads).toBe(1);
    const burst = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => pool.hash({ kind: 'sha1', data: owned(Buffer.alloc(1000, n)) })));
    expect(burst.map((result) => result.sha1)).toEqual([1, 2, 3, 4, 5, 6].map((n) => sha('sha1', Buffer.alloc(1000, n))));
    expect(pool.threads).toBe(3);
  });

  it('hashes small in-memory SHA-1 jobs on the calling thread with inlineMaxBytes, larger ones on a worker', async () => {
    pool = new HashPool({ size: 2, inlineMaxBytes: 1024 });
    const small = Buffer.from(randomBytes(1024));
    const result = await pool.hash({ kind: 'sha1', data: small });
    expect(result.sha1).toEqual(sha('sha1', small));
    // Not transferred: the caller's buffer is handed back as it is, still usable.
    expect(result.data.buffer).toBe(small.buffer);
    expect(small.length).toBe(1024);
    expect(pool.threads).toBe(0);
    const large = randomBytes(1025);
    const expected = sha('sha1', large);
    expect((await pool.hash({ kind: 'sha1', data: owned(large) })).sha1).toEqual(expected);
    expect(pool.threads).toBe(1);
    await pool.close();
    await expect(pool.hash({ kind: 'sha1', data: Buffer.alloc(10) })).rejects.toBeInstanceOf(HashPoolClosedError);
  });

  it('prestart() starts every thread at once and they take the jobs', async () => {
    pool = new HashPool({ size: 2, jobsPerWorker: 1 });
    pool.prestart();
    expect(pool.threads).toBe(2);
    const inputs = [1, 2, 3, 4].map(() => randomBytes(100));
    const results = await Promise.all(inputs.map((input) => pool.hash({ kind: 'sha1', data: owned(input) })));
    expect(results.map((result) => result.sha1)).toEqual(inputs.map((input) => sha('sha1', input)));
    expect(pool.threads).toBe(2);
  });

  it('prestarted threads that get no job exit after idleTimeoutMs', async () => {
    pool = new HashPool({ size: 2, idleTimeoutMs: 20 });
    pool.prestart();
    await waitFor('the idle workers to exit', async () => (pool.threads === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 10 });
  });

  it('ends a worker idle for idleTimeoutMs and starts one again for the next job', async () => {
    pool = new HashPool({ size: 1, idleTimeoutMs: 20 });
    const first = randomBytes(100);
    expect((await pool.hash({ kind: 'sha1', data: owned(first) })).sha1).toEqual(sha('sha1', first));
    expect(pool.threads).toBe(1);
    await waitFor('the idle worker to exit', async () => (pool.threads === 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 10 });
    const second = randomBytes(100);
    expect((await pool.hash({ kind: 'sha1', data: owned(second) })).sha1).toEqual(sha('sha1', second));
    expect(pool.threads).toBe(1);
  });

  it('rejects a nonsensical size', () => {
    pool = new HashPool({ size: 1 });
    expect(() => new HashPool({ size: 0 })).toThrow(RangeError);
    expect(() => new HashPool({ size: 1, maxPending: 0 })).toThrow(RangeError);
    expect(() => new HashPool({ size: 1, jobsPerWorker: 0 })).toThrow(RangeError);
    expect(() => new HashPool({ size: 1, inlineMaxBytes: -1 })).toThrow(RangeError);
    expect(() => new HashPool({ size: 1, idleTimeoutMs: -1 })).toThrow(RangeError);
  });
});
