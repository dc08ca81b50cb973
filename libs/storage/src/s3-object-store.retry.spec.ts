import { ACCESS_DENIED, INTERNAL_ERROR, SLOW_DOWN, startFaultProxy, startS3rver, waitFor, type FaultProxy, type RunningS3rver } from '@seedfleet/testing';
import { PassThrough, Readable } from 'node:stream';
import { MIN_PART_SIZE, type S3ObjectStoreConfig } from './s3-config';
import { S3ObjectStore } from './s3-object-store';
import { chunked, collect, expectStorageError, pattern, readAll, sha256 } from './testing/object-store-conformance';

// Real HTTP all the way: AWS SDK client → scripted fault proxy → s3rver.
let s3: RunningS3rver;
let proxy: FaultProxy;
let store: S3ObjectStore;
let testNumber = 0;

beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'retries' });
});
afterAll(() => s3.stop());

beforeEach(async () => {
  proxy = await startFaultProxy({ target: s3.endpoint });
  store = storeVia(proxy.endpoint);
});
afterEach(async () => {
  await store.close();
  await proxy.stop();
});

function storeVia(endpoint: string, overrides: Partial<S3ObjectStoreConfig> = {}): S3ObjectStore {
  return new S3ObjectStore({
    bucket: s3.bucket,
    region: s3.region,
    endpoint,
    forcePathStyle: true,
    credentials: s3.credentials,
    prefix: `retry-${++testNumber}/`,
    partSize: MIN_PART_SIZE,
    maxAttempts: 3,
    // Small backoff so the test is quick; the schedule itself is unit-tested in retry-policy.spec.ts.
    retryBaseDelayMs: 5,
    retryMaxDelayMs: 50,
    ...overrides,
  });
}

const requestsTo = (method: string, fragment: string) => proxy.requests.filter((request) => request.method === method && request.url.includes(fragment));

describe('S3ObjectStore retries through a fault proxy', () => {
  it('completes a put after a 503 SlowDown and a connection reset', async () => {
    const bytes = pattern(100_000, 1);
    proxy.script(SLOW_DOWN, 'reset');
    const result = await store.put('r/a.bin', bytes);
    expect(result.sha256).toBe(sha256(bytes));
    expect(requestsTo('PUT', '/r/a.bin').map((request) => request.action)).toEqual([503, 'reset', 'pass']);
    expect((await readAll((await store.get('r/a.bin')).body)).equals(bytes)).toBe(true);
  });

  it('completes a get and a head after transient failures', async () => {
    const bytes = pattern(10_000, 2);
    await store.put('r/b.bin', bytes);
    proxy.script(SLOW_DOWN, 'reset');
    const got = await store.get('r/b.bin', { start: 100, end: 199 });
    expect((await readAll(got.body)).equals(bytes.subarray(100, 200))).toBe(true);
    expect(requestsTo('GET', '/r/b.bin').map((request) => request.action)).toEqual([503, 'reset', 'pass']);
    proxy.script(INTERNAL_ERROR);
    expect((await store.head('r/b.bin'))?.size).toBe(bytes.length);
  });

  it('retries a failed part of a multipart upload and finishes with nothing left over', async () => {
    const bytes = pattern(MIN_PART_SIZE + 4096, 3);
    const put = store.put('r/multi.bin', Readable.from([bytes]));
    // Initiate passes, the first UploadPart request is throttled once.
    proxy.script('pass', SLOW_DOWN);
    const result = await put;
    expect(result.sha256).toBe(sha256(bytes));
    expect(requestsTo('PUT', 'partNumber=').length).toBe(3);
    expect(await s3.pendingMultipartUploads()).toEqual([]);
    expect(sha256(await readAll((await store.get('r/multi.bin')).body))).toBe(result.sha256);
  });

  it('gives up with unavailable after maxAttempts and says so', async () => {
    proxy.script(SLOW_DOWN, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN);
    const error = await expectStorageError(store.put('r/never.bin', Buffer.from('x')), 'unavailable');
    expect(error.message).toContain('r/never.bin');
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('SlowDown');
    expect(requestsTo('PUT', '/r/never.bin')).toHaveLength(3);
    expect(await store.head('r/never.bin')).toBeUndefined();
  });

  it('gives up on resets too', async () => {
    await store.put('r/c.bin', Buffer.from('c'));
    proxy.script('reset', 'reset', 'reset');
    const error = await expectStorageError(store.get('r/c.bin'), 'unavailable');
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('ECONNRESET');
    expect(requestsTo('GET', '/r/c.bin')).toHaveLength(3);
  });

  it('does not retry access denied', async () => {
    proxy.script(ACCESS_DENIED);
    const error = await expectStorageError(store.get('r/secret.bin'), 'access-denied');
    expect(error.message).toContain('r/secret.bin');
    expect(requestsTo('GET', '/r/secret.bin')).toHaveLength(1);
  });

  it('maps a missing key to not-found without retrying', async () => {
    await expectStorageError(store.get('r/missing.bin'), 'not-found');
    expect(requestsTo('GET', '/r/missing.bin')).toHaveLength(1);
  });

  it('pages a listing with continuation tokens', async () => {
    const paged = storeVia(proxy.endpoint, { listPageSize: 2 });
    try {
      for (const name of ['e', 'a', 'd', 'b', 'c']) await paged.put(`l/${name}`, Buffer.from(name));
      proxy.script('pass', SLOW_DOWN);
      const keys = (await collect(paged.list('l/'))).map((info) => info.key);
      expect(keys).toEqual(['l/a', 'l/b', 'l/c', 'l/d', 'l/e']);
      const listRequests = proxy.requests.filter((request) => request.url.includes('list-type=2'));
      expect(listRequests.map((request) => request.action)).toEqual(['pass', 503, 'pass', 'pass']);
      expect(listRequests.filter((request) => request.url.includes('continuation-token=')).length).toBe(3);
    } finally {
      await paged.close();
    }
  });
});

describe('S3ObjectStore multipart cleanup, as the proxy sees it', () => {
  const multipartCalls = () =>
    proxy.requests
      .filter((request) => request.url.includes('/m/'))
      .map((request) => `${request.method} ${request.url.includes('?uploads') ? 'initiate' : request.url.includes('partNumber=') ? 'part' : request.url.includes('uploadId=') ? 'upload-id' : 'object'}`);

  it('aborts the multipart upload when the body passes maxBytes', async () => {
    const size = 2 * MIN_PART_SIZE + 100;
    const error = await expectStorageError(store.put('m/too-big.bin', chunked(pattern(size, 4), 1024 * 1024), { maxBytes: size - 1 }), 'too-large');
    expect(error.message).toContain(`limit of ${size - 1} bytes`);
    const calls = multipartCalls();
    expect(calls).toContain('POST initiate');
    expect(calls).toContain('PUT part');
    expect(calls.at(-1)).toBe('DELETE upload-id');
    expect(calls).not.toContain('POST upload-id');
    expect(await s3.pendingMultipartUploads()).toEqual([]);
  });

  it('aborts the multipart upload when the signal fires mid-stream', async () => {
    const body = new PassThrough();
    const controller = new AbortController();
    const putting = store.put('m/aborted.bin', body, { signal: controller.signal });
    body.write(pattern(MIN_PART_SIZE + 1, 5));
    await waitFor('a part upload', async () => (proxy.requests.some((request) => request.url.includes('partNumber=1')) ? true : undefined), { timeoutMs: 10_000, intervalMs: 5 });
    controller.abort();
    await expectStorageError(putting, 'aborted');
    const calls = multipartCalls();
    expect(calls.at(-1)).toBe('DELETE upload-id');
    expect(calls).not.toContain('POST upload-id');
    expect(await s3.pendingMultipartUploads()).toEqual([]);
    expect(await store.head('m/aborted.bin')).toBeUndefined();
  });
});

describe('S3ObjectStore failures without the proxy', () => {
  it('reports unavailable when nothing listens at the endpoint', async () => {
    const closed = await startFaultProxy({ target: s3.endpoint });
    await closed.stop();
    const unreachable = storeVia(closed.endpoint, { maxAttempts: 2 });
    try {
      const error = await expectStorageError(unreachable.head('x/y'), 'unavailable');
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).toContain('after 2 attempts');
    } finally {
      await unreachable.close();
    }
  });

  it('reports access-denied for an unknown access key', async () => {
    // s3rver checks the access key id, not SigV4 signatures.
    const wrong = storeVia(s3.endpoint, { credentials: { accessKeyId: 'UNKNOWNKEY', secretAccessKey: 'S3RVER' } });
    try {
      await expectStorageError(wrong.put('x/denied', Buffer.from('x')), 'access-denied');
    } finally {
      await wrong.close();
    }
  });
});
