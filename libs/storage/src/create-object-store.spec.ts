import { createObjectStore, describeStorage } from './create-object-store';
import { FsObjectStore } from './fs-object-store';
import { StorageError } from './object-store';
import { MIN_PART_SIZE, resolveS3Config } from './s3-config';
import { S3ObjectStore } from './s3-object-store';

const s3Base = { kind: 's3', bucket: 'seedfleet-artifacts', region: 'eu-west-1' } as const;
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('createObjectStore', () => {
  it('makes the adapter the config names', async () => {
    const fs = createObjectStore({ kind: 'fs', root: '/var/lib/seedfleet/objects' });
    expect(fs).toBeInstanceOf(FsObjectStore);
    expect(fs.describe()).toBe('fs:/var/lib/seedfleet/objects');
    const s3 = createObjectStore({ ...s3Base, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, prefix: 'prod' });
    expect(s3).toBeInstanceOf(S3ObjectStore);
    expect(s3.describe()).toBe('s3://seedfleet-artifacts/prod/ (eu-west-1) via http://127.0.0.1:9000');
    await s3.close();
  });

  it('lists every configuration problem at once', () => {
    let error: unknown;
    try {
      createObjectStore({ kind: 's3', bucket: 'Bad_Bucket', region: '', endpoint: 'ftp://x', partSize: 1024, maxAttempts: 0, listPageSize: 5000, prefix: '../up' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StorageError);
    const message = (error as StorageError).message;
    for (const fragment of ['bucket must be', 'region is required', 'endpoint must be', 'partSize must be an integer in [5242880', 'maxAttempts', 'listPageSize', 'prefix']) {
      expect(message).toContain(fragment);
    }
  });

  it('defaults to the settings S3-compatible stores need and bounded memory', () => {
    const resolved = resolveS3Config(s3Base);
    expect(resolved).toMatchObject({ checksumMode: 'WHEN_REQUIRED', forcePathStyle: false, maxAttempts: 5, partSize: 8 * 1024 * 1024, queueSize: 2, prefix: '', listPageSize: 1000 });
    expect(resolveS3Config({ ...s3Base, prefix: 'a/b' }).prefix).toBe('a/b/');
    expect(resolveS3Config({ ...s3Base, partSize: MIN_PART_SIZE }).partSize).toBe(MIN_PART_SIZE);
  });
});

describe('describeStorage', () => {
  it('shows what matters and never a secret', () => {
    const line = describeStorage({
      ...s3Base,
      endpoint: 'https://user:password@minio.internal:9000/?token=abc',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: secret, sessionToken: 'session-secret' },
    });
    expect(line).toContain('s3://seedfleet-artifacts/');
    expect(line).toContain('https://minio.internal:9000');
    expect(line).toContain('path-style=true');
    expect(line).toContain('checksums=WHEN_REQUIRED');
    expect(line).toContain('static key AKIA…');
    for (const leaked of [secret, 'session-secret', 'password', 'token=abc', 'IOSFODNN7EXAMPLE']) expect(line).not.toContain(leaked);
    expect(describeStorage(s3Base)).toContain('credentials=default provider chain');
    expect(describeStorage({ kind: 'fs', root: '/data/objects' })).toBe('fs:/data/objects');
  });
});
