import { startS3rver, type RunningS3rver } from '@seedfleet/testing';
import { MIN_PART_SIZE } from './s3-config';
import { S3ObjectStore } from './s3-object-store';
import { describeObjectStore } from './testing/object-store-conformance';

// One s3rver (real HTTP) for the file; each test gets its own key prefix in the bucket.
let s3: RunningS3rver;
let testNumber = 0;
beforeAll(async () => {
  s3 = await startS3rver({ bucket: 'conformance' });
});
afterAll(() => s3.stop());

describeObjectStore('S3ObjectStore on s3rver', async () => {
  const store = new S3ObjectStore({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: s3.credentials,
    checksumMode: 'WHEN_REQUIRED',
    prefix: `test-${++testNumber}/`,
    partSize: MIN_PART_SIZE,
    // Smaller than the list tests' key count, so listing has to follow continuation tokens.
    listPageSize: 3,
    maxAttempts: 2,
    retryBaseDelayMs: 10,
  });
  return {
    store,
    leftovers: () => s3.pendingMultipartUploads(),
    presigns: true,
    multipartBytes: 2 * MIN_PART_SIZE + 12_345,
    cleanup: async () => undefined,
  };
});
