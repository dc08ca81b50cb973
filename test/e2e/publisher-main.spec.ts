import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTempDir, freePort, type TempDir } from '@seedfleet/testing';
import { Redis } from 'ioredis';
import { deleteKeysWithPrefix } from '../../apps/publisher/src/tracker/ioredis-port';
import { REDIS_URL } from './publisher-support/harness';

jest.setTimeout(240_000);

const REGISTER = join(__dirname, 'publisher-support', 'ts-register.js');
const MAIN = join(__dirname, '..', '..', 'apps', 'publisher', 'src', 'main.ts');

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npm start` minus the build: main.ts from source in a child process. Stops it with SIGTERM (by PID) once
 * `ready` matches its output, or lets it exit on its own.
 */
function runMain(env: Record<string, string>, ready?: RegExp): Promise<Run> {
  const child = spawn(process.execPath, ['-r', REGISTER, '-e', `require(${JSON.stringify(MAIN)})`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    // Nest colours its log lines; the assertions read plain text.
    stdout += chunk.toString('utf8').replace(/\x1b\[[0-9;]*m/g, '');
    if (ready?.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('publisher main (npm start)', () => {
  const prefix = `seedfleet-test:main-${randomBytes(6).toString('hex')}:`;
  let dataDir: TempDir;
  let redis: Redis;

  beforeAll(async () => {
    dataDir = await createTempDir('sf-publisher-main-');
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
    await dataDir.remove();
  });

  it('prints the URLs, the storage and, on the first start only, the generated admin token', async () => {
    const port = await freePort();
    const env = { HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir.path, REDIS_URL, REDIS_KEY_PREFIX: prefix, TRACKER_KEY_PREFIX: `${prefix}tracker:`, ORIGIN_SEEDER: 'off', SEEDFLEET_ADMIN_TOKEN: '' };
    const first = await runMain(env, /use it as: .*\n/);
    const base = `http://127.0.0.1:${port}`;
    expect(first.stdout).toContain(`publisher listening on http://127.0.0.1:${port}`);
    expect(first.stdout).toContain(`API:      ${base}/api`);
    expect(first.stdout).toContain(`OpenAPI:  ${base}/api/docs-json`);
    expect(first.stdout).toContain(`tracker:  ${base}/announce`);
    expect(first.stdout).toContain(`storage:  fs:${join(dataDir.path, 'objects')}`);
    const tokenFile = join(dataDir.path, 'admin-token');
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(first.stdout).toContain(`admin token (saved to ${tokenFile}, mode 0600; shown only now):\n\n  ${token}\n`);

    const second = await runMain(env, /admin token: .*\n/);
    expect(second.stdout).toContain(`admin token: in ${tokenFile}`);
    expect(second.stdout).not.toContain(token);
  });

  it('exits 1 listing every configuration problem', async () => {
    const run = await runMain({ PORT: 'eighty', BUILD_WORKER: 'sometimes', STORAGE: 's3', DATA_DIR: dataDir.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('seedfleet publisher: invalid configuration:');
    expect(run.stderr).toContain('PORT: expected a TCP port (0-65535), got "eighty"');
    expect(run.stderr).toContain('S3_BUCKET: required with STORAGE=s3');
    expect(run.stderr).toContain('BUILD_WORKER: expected inline or off, got "sometimes"');
  });
});
