import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { redisAnswers } from './redis-ping';

export interface RedisEndpoint {
  url: string;
  source: 'REDIS_URL' | 'local' | 'embedded';
  /** Stops the redis-server this process started; a no-op for external servers. */
  stop(): Promise<void>;
}

export class RedisUnavailableError extends Error {
  override name = 'RedisUnavailableError';
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 6379;
const NO_REDIS_HELP =
  'no Redis found: set REDIS_URL (e.g. redis://host:6379), run one on 127.0.0.1:6379, ' +
  'or install redis-server so seedfleet can start its own (Debian/Ubuntu: apt-get install redis-server; ' +
  'macOS: brew install redis)';

/**
 * Redis from REDIS_URL, else the conventional local one, else a redis-server child process keeping its
 * files under dataDir/redis, else a clear error. Embedded defaults must "just work" on a fresh machine.
 */
export interface LocateRedisOptions {
  redisUrl?: string;
  dataDir: string;
  /** Where to look for an already running Redis when REDIS_URL is unset (default 6379). */
  localPort?: number;
  /** The binary to start when no Redis answers (default `redis-server` from PATH). */
  redisServerBinary?: string;
}

export async function locateRedis(options: LocateRedisOptions): Promise<RedisEndpoint> {
  if (options.redisUrl) {
    const url = new URL(options.redisUrl);
    const reachable = url.protocol === 'rediss:' || (await redisAnswers(url.hostname, Number(url.port || DEFAULT_PORT)));
    if (!reachable) throw new RedisUnavailableError(`REDIS_URL ${redact(url)} does not answer`);
    return { url: options.redisUrl, source: 'REDIS_URL', stop: async () => undefined };
  }
  const localPort = options.localPort ?? DEFAULT_PORT;
  if (await redisAnswers(DEFAULT_HOST, localPort)) {
    return { url: `redis://${DEFAULT_HOST}:${localPort}`, source: 'local', stop: async () => undefined };
  }
  return startEmbeddedRedis(join(options.dataDir, 'redis'), options.redisServerBinary ?? 'redis-server');
}

async function startEmbeddedRedis(dir: string, binary: string): Promise<RedisEndpoint> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  // Append-only persistence: rollout state survives a publisher restart. noeviction: BullMQ requires it.
  const args = ['--bind', DEFAULT_HOST, '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction'];
  const child = spawn(binary, args, { stdio: 'ignore' });
  const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const polling = new AbortController();
  const outcome = await Promise.race([
    spawnError.then((error) => ({ error })),
    exited.then((code) => ({ error: new Error(`redis-server exited with code ${code}`) })),
    waitUntilAnswering(port, polling.signal).then(() => ({ error: undefined })),
  ]).finally(() => polling.abort());
  if (outcome.error) {
    child.kill('SIGKILL');
    const missing = (outcome.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RedisUnavailableError(missing ? NO_REDIS_HELP : `could not start redis-server: ${outcome.error.message}`);
  }
  return { url: `redis://${DEFAULT_HOST}:${port}`, source: 'embedded', stop: () => stopChild(child, exited) };
}

async function waitUntilAnswering(port: number, signal: AbortSignal, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline && !signal.aborted) {
    if (await redisAnswers(DEFAULT_HOST, port, 200)) return;
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 50));
  }
  if (signal.aborted) return;
  throw new Error(`redis-server did not answer on port ${port} within ${deadlineMs} ms`);
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, DEFAULT_HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}
