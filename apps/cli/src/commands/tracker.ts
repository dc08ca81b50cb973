import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_HTTP_TRACKER_OPTIONS, DEFAULT_TRACKER_OPTIONS, peerTtlMs, RedisSwarmStore, RespConnection, sharedTrackerSecret, startTrackerServers, trustedProxySet, validateTrackerOptions, type AccessMode, type TrackerOptions } from '@seedfleet/tracker';
import { parsePort } from '../args/network';
import { flag, list, value } from '../args/option-spec';
import { UsageError } from '../args/usage-error';
import { CliError, describeSystemError } from '../cli-error';
import { defineCommand } from './command';

export const trackerCommand = defineCommand({
  name: 'tracker',
  summary: 'Run a standalone BitTorrent tracker (HTTP and UDP) with its swarms in Redis.',
  details: `
Open mode (--open) serves any torrent; --allow FILE serves the info hashes listed in FILE, one per line
(40 hex digits, or 64 for a v2 info hash, which BEP 52 truncates to 40; # starts a comment).
Redis: --redis URL, else REDIS_URL, else 127.0.0.1:6379, else a redis-server started for this run.
Several trackers may share one Redis (same --key-prefix): each answers with the same swarms, and UDP
connection ids from one are valid at the others. Stops cleanly on SIGINT/SIGTERM.`,
  args: {
    positionals: [],
    options: {
      host: value('ADDR', 'address to listen on (default 0.0.0.0; :: for IPv6)'),
      port: value('N', 'HTTP port (default 6969; 0 = any free port)', { parse: parsePort }),
      'udp-port': value('N', 'UDP port (default: the HTTP port; 0 = any free port)', { parse: parsePort }),
      udp: flag('serve the UDP tracker too (default); --no-udp serves HTTP only', { negatable: true }),
      open: flag('serve any info hash'),
      allow: value('FILE', 'serve only the info hashes listed in FILE'),
      redis: value('URL', 'Redis for the swarms (redis:// or rediss://)', { parse: parseRedisUrl }),
      'key-prefix': value('PREFIX', 'prefix of every Redis key (default seedfleet:tracker:)'),
      interval: value('SECONDS', `announce interval sent to clients (default ${DEFAULT_TRACKER_OPTIONS.intervalSeconds})`, { parse: parseSeconds }),
      'min-interval': value('SECONDS', `minimum announce interval; earlier announces get the previous answer (default ${DEFAULT_TRACKER_OPTIONS.minIntervalSeconds})`, { parse: parseSeconds }),
      'max-numwant': value('N', `most peers returned per announce (default ${DEFAULT_TRACKER_OPTIONS.maxNumWant})`, { parse: parseCount }),
      'trusted-proxy': list('ADDR', 'a proxy whose X-Forwarded-For and ip= are believed', { parse: parseProxy }),
    },
  },
  async run({ options }, io) {
    const access = await accessMode(options.open ?? false, options.allow, io.cwd);
    const host = options.host ?? '0.0.0.0';
    const httpPort = options.port ?? 6969;
    const udpPort = options.udp === false ? undefined : (options['udp-port'] ?? httpPort);
    const keyPrefix = options['key-prefix'] ?? 'seedfleet:tracker:';
    const intervalSeconds = options.interval ?? DEFAULT_TRACKER_OPTIONS.intervalSeconds;
    const trackerOptions: TrackerOptions = {
      ...DEFAULT_TRACKER_OPTIONS,
      access,
      intervalSeconds,
      minIntervalSeconds: Math.min(options['min-interval'] ?? DEFAULT_TRACKER_OPTIONS.minIntervalSeconds, intervalSeconds),
      maxNumWant: options['max-numwant'] ?? DEFAULT_TRACKER_OPTIONS.maxNumWant,
      defaultNumWant: Math.min(DEFAULT_TRACKER_OPTIONS.defaultNumWant, options['max-numwant'] ?? Infinity),
    };
    try {
      validateTrackerOptions(trackerOptions);
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/^tracker option /, ''), 'tracker');
    }
    const redisDir = await mkdtemp(join(tmpdir(), 'seedfleet-tracker-'));
    const cleanups: (() => Promise<unknown>)[] = [() => rm(redisDir, { recursive: true, force: true })];
    try {
      // Loaded on use, so other commands do not pay for it at start-up.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { locateRedis, RedisUnavailableError } = require('../../../publisher/src/redis/redis-locator') as typeof import('../../../publisher/src/redis/redis-locator');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const endpoint = await locateRedis({ redisUrl: options.redis ?? io.env.REDIS_URL, dataDir: redisDir }).catch((error: unknown) => {
        throw new CliError(error instanceof RedisUnavailableError ? error.message : `cannot reach Redis: ${describeSystemError(error)}`, { cause: error });
      });
      cleanups.unshift(() => endpoint.stop());
      // The tracker's own pipelined RESP connection: one write per event-loop turn for all announces in flight.
      const port = await RespConnection.open(endpoint.url).catch((error: unknown) => {
        throw new CliError(`cannot reach Redis: ${(error as Error).message}`, { cause: error });
      });
      cleanups.unshift(() => port.close());
      const store = new RedisSwarmStore(port, { keyPrefix, peerTtlMs: peerTtlMs(trackerOptions) });
      const servers = await startTrackerServers({
        store,
        tracker: trackerOptions,
        http: { ...DEFAULT_HTTP_TRACKER_OPTIONS, trustedProxies: options['trusted-proxy'] },
        host,
        httpPort,
        udpPort,
        udpSecret: await sharedTrackerSecret(port, keyPrefix),
      }).catch((error: unknown) => {
        throw new CliError(`cannot listen on ${host}: ${describeSystemError(error)}`, { cause: error });
      });
      cleanups.unshift(() => servers.close());
      const mode = access.kind === 'open' && access.allow ? `allow list of ${access.allow.size}` : 'open';
      io.stdout.write(
        [
          `seedfleet tracker (${mode}; Redis ${redact(endpoint.url)}${endpoint.source === 'embedded' ? ', started for this run' : ''}; key prefix ${keyPrefix})`,
          `  announce  ${servers.urls.announce}`,
          `  scrape    ${servers.urls.scrape}`,
          ...(servers.urls.udp ? [`  udp       ${servers.urls.udp}`] : []),
          '',
        ].join('\n'),
      );
      await untilAborted(io.signal);
      io.stderr.write('stopping tracker\n');
      return 0;
    } finally {
      for (const cleanup of cleanups) await cleanup();
    }
  },
});

async function accessMode(open: boolean, allowFile: string | undefined, cwd: string): Promise<AccessMode> {
  if (open && allowFile !== undefined) throw new UsageError('choose one of --open and --allow FILE', 'tracker');
  if (open) return { kind: 'open' };
  if (allowFile === undefined) throw new UsageError('choose --open (serve any torrent) or --allow FILE (serve the info hashes listed in FILE)', 'tracker');
  let text: string;
  try {
    text = await readFile(resolve(cwd, allowFile), 'utf8');
  } catch (error) {
    throw new CliError(`cannot read '${allowFile}': ${describeSystemError(error)}`, { cause: error });
  }
  return { kind: 'open', allow: parseAllowList(text, allowFile) };
}

/** One info hash per line: 40 hex digits, or 64 (v2, truncated to 20 bytes as trackers see it). */
export function parseAllowList(text: string, name: string): Set<string> {
  const allowed = new Set<string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const entry = line.replace(/#.*/, '').trim();
    if (entry === '') return;
    if (!/^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(entry)) throw new CliError(`${name}:${index + 1}: '${entry}' is not a hex info hash (40 or 64 digits)`);
    allowed.add(entry.slice(0, 40).toLowerCase());
  });
  return allowed;
}

function parseProxy(text: string): string {
  trustedProxySet([text]);
  return text.trim();
}

function parseRedisUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`'${text}' is not a URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`'${text}': expected a redis:// or rediss:// URL`);
  return text;
}

function parseSeconds(text: string): number {
  if (!/^\d{1,6}$/.test(text.trim())) throw new Error(`'${text}' is not a number of seconds`);
  return Number(text);
}

function parseCount(text: string): number {
  if (!/^\d{1,5}$/.test(text.trim()) || Number(text) < 1) throw new Error(`'${text}' is not a positive number`);
  return Number(text);
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolveAbort) => signal.addEventListener('abort', () => resolveAbort(), { once: true }));
}

function redact(url: string): string {
  return url.replace(/:[^:@/]*@/, ':***@');
}
