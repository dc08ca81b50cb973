import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, ManagedProcess, startOpentracker, waitFor } from '@seedfleet/testing';

const run = promisify(execFile);

/** One tracker set-up under load: the HTTP endpoints the generator spreads its connections over. */
export interface RunningTarget {
  readonly endpoints: readonly { readonly host: string; readonly port: number }[];
  /** opentracker closes each connection after its answer (no HTTP keep-alive). */
  readonly keepAlive: boolean;
  /** Processes serving it (CPU accounting); Redis is measured separately. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/** A redis-server of the bench's own: no other client's commands in INFO commandstats, nothing persisted. */
export async function startBenchRedis(): Promise<{ url: string; port: number; pid: number; commandStats(): Promise<Map<string, number>>; stop(): Promise<void> }> {
  const port = await freePort();
  const server = await ManagedProcess.start('redis-server', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no']);
  const cli = (...args: string[]): Promise<string> => run('redis-cli', ['-p', String(port), ...args]).then(({ stdout }) => stdout);
  await waitFor('redis-server to answer PING', async () => ((await cli('ping')).trim() === 'PONG' ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: server.pid,
    commandStats: async () => parseCommandStats(await cli('info', 'commandstats')),
    stop: async () => {
      await server.stop();
    },
  };
}

/** `cmdstat_evalsha:calls=12,...` lines -> command -> calls. */
export function parseCommandStats(text: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1], Number(match[2]));
  return calls;
}

export interface OurTrackersOptions {
  /** The seedfleet launcher (bin/seedfleet.js). */
  readonly cli: string;
  /** Node options before the launcher, e.g. --cpu-prof. */
  readonly nodeOptions: readonly string[];
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly replicas: number;
}

/** `seedfleet tracker` processes (the CLI as operators run it: open mode, HTTP only) sharing one Redis prefix. */
export async function startOurTrackers(options: OurTrackersOptions): Promise<RunningTarget> {
  const { redisUrl, keyPrefix } = options;
  const processes: ManagedProcess[] = [];
  const endpoints: { host: string; port: number }[] = [];
  try {
    for (let index = 0; index < options.replicas; index++) {
      const port = await freePort();
      const child = await ManagedProcess.start(`seedfleet tracker #${index + 1}`, process.execPath, [
        ...options.nodeOptions,
        options.cli,
        'tracker',
        '--open',
        '--no-udp',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--redis',
        redisUrl,
        '--key-prefix',
        keyPrefix,
        // Every announce does the full swarm update; with the default 60 s, repeats would be cache hits.
        '--min-interval',
        '0',
      ]);
      processes.push(child);
      let stdout = '';
      child.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      await waitFor(`${child.name} to print its URLs`, async () => {
        if (!child.running) throw new Error(child.describeExit());
        return stdout.includes('announce') ? true : undefined;
      }, { timeoutMs: 20_000, intervalMs: 50 });
      endpoints.push({ host: '127.0.0.1', port });
    }
  } catch (error) {
    await Promise.all(processes.map((child) => child.stop()));
    throw error;
  }
  return { endpoints, keepAlive: true, pids: processes.map((child) => child.pid), stop: async () => void (await Promise.all(processes.map((child) => child.stop()))) };
}

export async function startOpentrackerTarget(infoHashes: readonly string[]): Promise<RunningTarget> {
  const tracker = await startOpentracker({ infoHashes });
  return { endpoints: [{ host: '127.0.0.1', port: tracker.port }], keepAlive: false, pids: [tracker.pid], stop: () => tracker.stop() };
}

/** bittorrent-tracker@version installed into bench/.cache on demand (it is not a dependency: its WebRTC client does not build here). */
export async function installBittorrentTracker(cacheDir: string, version: string): Promise<string | { unavailable: string }> {
  try {
    await run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', cacheDir, `bittorrent-tracker@${version}`], { timeout: 300_000 });
    return join(cacheDir, 'node_modules', 'bittorrent-tracker', 'server.js');
  } catch (error) {
    return { unavailable: `npm install bittorrent-tracker@${version} failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

export async function startBittorrentTracker(serverScript: string, serverModule: string): Promise<RunningTarget> {
  return startReadyServer('bittorrent-tracker', serverScript, [serverModule]);
}

/** The static-reply floor (static-reply-server.ts). */
export async function startStaticReplyServer(serverScript: string): Promise<RunningTarget> {
  return startReadyServer('static reply', serverScript, []);
}

/** `node script ...args port` on a free port, ready once it prints "ready". */
async function startReadyServer(name: string, script: string, args: readonly string[]): Promise<RunningTarget> {
  const port = await freePort();
  const child = await ManagedProcess.start(name, process.execPath, [script, ...args, String(port)]);
  let stdout = '';
  child.child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await waitFor(`${name} to listen`, async () => {
    if (!child.running) throw new Error(child.describeExit());
    return stdout.includes('ready') ? true : undefined;
  }, { timeoutMs: 20_000, intervalMs: 50 });
  return { endpoints: [{ host: '127.0.0.1', port }], keepAlive: true, pids: [child.pid], stop: async () => void (await child.stop()) };
}
