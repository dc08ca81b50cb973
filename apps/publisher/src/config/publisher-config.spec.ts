import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './config-error';
import { withConfigFile } from './config-file';
import { loadPublisherConfig } from './publisher-config';

function problemsOf(action: () => unknown): string[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadPublisherConfig', () => {
  it('has embedded defaults', () => {
    expect(loadPublisherConfig({})).toEqual({
      host: '0.0.0.0',
      port: 8080,
      publicUrl: 'http://127.0.0.1:8080',
      dataDir: resolve('./var'),
      redisUrl: undefined,
      redisKeyPrefix: 'seedfleet:',
      storage: { kind: 'fs', dir: resolve('./var/objects') },
      adminToken: undefined,
      maxUploadBytes: 64 * 1024 ** 3,
      buildWorker: 'inline',
      buildConcurrency: 1,
    });
  });

  it('reads the environment', () => {
    const config = loadPublisherConfig({
      HOST: '10.1.2.3',
      PORT: '9000',
      PUBLIC_URL: 'https://seeds.example.com/',
      DATA_DIR: '/srv/sf',
      REDIS_URL: 'redis://r:6379/2',
      REDIS_KEY_PREFIX: 'sf-prod:',
      SEEDFLEET_ADMIN_TOKEN: 'a-long-enough-admin-token',
      MAX_UPLOAD_BYTES: '2GiB',
      BUILD_WORKER: 'off',
      BUILD_CONCURRENCY: '3',
    });
    expect(config).toMatchObject({
      host: '10.1.2.3',
      port: 9000,
      publicUrl: 'https://seeds.example.com',
      dataDir: '/srv/sf',
      redisUrl: 'redis://r:6379/2',
      redisKeyPrefix: 'sf-prod:',
      storage: { kind: 'fs', dir: '/srv/sf/objects' },
      adminToken: 'a-long-enough-admin-token',
      maxUploadBytes: 2 * 1024 ** 3,
      buildWorker: 'off',
      buildConcurrency: 3,
    });
  });

  it('reads S3 settings and the standard AWS credential variables', () => {
    const config = loadPublisherConfig({
      STORAGE: 's3',
      S3_BUCKET: 'releases',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKID',
      AWS_SECRET_ACCESS_KEY: 'SECRET',
    });
    expect(config.storage).toEqual({
      kind: 's3',
      bucket: 'releases',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
      prefix: undefined,
      credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: undefined },
    });
    expect(loadPublisherConfig({ STORAGE: 's3', S3_BUCKET: 'releases', S3_FORCE_PATH_STYLE: 'false' }).storage).toEqual({
      kind: 's3',
      bucket: 'releases',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
      prefix: undefined,
      credentials: undefined,
    });
  });

  it('reports every problem at once', () => {
    expect(problemsOf(() => loadPublisherConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://x', REDIS_URL: 'not a url' }))).toEqual([
      'PORT: expected a TCP port (0-65535), got "eighty"',
      'REDIS_URL: not a valid URL: "not a url"',
      'PUBLIC_URL: expected a http: or https: URL, got "ftp://x"',
    ]);
    expect(
      problemsOf(() =>
        loadPublisherConfig({ STORAGE: 's3', AWS_ACCESS_KEY_ID: 'x', SEEDFLEET_ADMIN_TOKEN: 'short', MAX_UPLOAD_BYTES: '-1', BUILD_WORKER: 'sometimes', BUILD_CONCURRENCY: '0' }),
      ),
    ).toEqual([
      'S3_BUCKET: required with STORAGE=s3',
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: set both or neither',
      'SEEDFLEET_ADMIN_TOKEN: expected 16 to 256 printable characters without spaces',
      'MAX_UPLOAD_BYTES: expected a positive byte count like 1048576 or 10GiB, got "-1"',
      'BUILD_WORKER: expected inline or off, got "sometimes"',
      'BUILD_CONCURRENCY: expected an integer from 1 to 64, got "0"',
    ]);
    expect(problemsOf(() => loadPublisherConfig({ STORAGE: 'ftp', S3_BUCKET: 'x' }))).toEqual(['STORAGE: expected fs or s3, got "ftp"', 'S3_BUCKET: only used with STORAGE=s3']);
  });
});

describe('withConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('puts the file under the environment: the environment wins', () => {
    const file = join(dir, 'publisher.json');
    writeFileSync(file, JSON.stringify({ PORT: 9001, HOST: '127.0.0.1', BUILD_WORKER: 'off' }));
    const env = withConfigFile({ CONFIG_FILE: file, PORT: '9002' });
    expect(loadPublisherConfig(env)).toMatchObject({ port: 9002, host: '127.0.0.1', buildWorker: 'off' });
  });

  it('refuses unreadable files, non-objects and bad keys or values with a clear message', () => {
    expect(problemsOf(() => withConfigFile({ CONFIG_FILE: join(dir, 'missing.json') }))[0]).toMatch(/^CONFIG_FILE: cannot read .*missing\.json as JSON/);
    const list = join(dir, 'list.json');
    writeFileSync(list, '[1]');
    expect(problemsOf(() => withConfigFile({ CONFIG_FILE: list }))).toEqual([`CONFIG_FILE: ${list} must hold a JSON object whose keys are setting names`]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ port: 1, STORAGE: { kind: 'fs' } }));
    expect(problemsOf(() => withConfigFile({ CONFIG_FILE: bad }))).toEqual([
      'CONFIG_FILE: key "port" is not a setting name (upper-case, like PORT)',
      'CONFIG_FILE: STORAGE must be a string, number or boolean',
    ]);
  });
});
