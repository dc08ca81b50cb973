import { request } from 'node:http';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BDict, decode } from '@seedfleet/bencode';
import { createTempDir, type TempDir } from '../temp-dir';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { waitFor } from './wait-for';

export interface SwarmCounts {
  /** Seeders the tracker knows. */
  readonly complete: number;
  readonly incomplete: number;
}

export interface Opentracker {
  /** http://127.0.0.1:PORT/announce */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Adds info hashes (hex) to the whitelist and resolves once the tracker accepts announces for them. */
  allow(infoHashes: readonly string[]): Promise<void>;
  /** The tracker's counts for one info hash (zeros while nobody announced it). */
  scrape(infoHash: string): Promise<SwarmCounts>;
  /** Resolves once the tracker has at least these many seeders / leechers for the torrent. */
  waitForSwarm(infoHash: string, atLeast: Partial<SwarmCounts>, timeoutMs: number): Promise<SwarmCounts>;
  stop(): Promise<void>;
}

const readyTimeoutMs = 10_000;
const bindAttempts = 5;

/** Percent-encodes every byte, as trackers expect for binary info hashes. */
function escapeBytes(hex: string): string {
  return hex.replace(/../g, (pair) => `%${pair}`);
}

function httpGet(url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`GET ${url} timed out`)));
    req.end();
  });
}

function bdict(value: unknown): BDict {
  if (!(value instanceof Map)) throw new Error('tracker answer is not a bencoded dict');
  return value as BDict;
}

/**
 * Debian's opentracker on 127.0.0.1 (HTTP only). It is built with a whitelist, so torrents must be
 * allowed first: pass them to start or call allow(). Ready when it answers a scrape.
 */
export async function startOpentracker(options: { infoHashes?: readonly string[] } = {}): Promise<Opentracker> {
  const dir = await createTempDir('seedfleet-opentracker-');
  try {
    // Run as root, opentracker drops to "nobody" after binding and then re-reads the whitelist as that
    // user on SIGHUP: mkdtemp's 0700 would hide it.
    await chmod(dir.path, 0o755);
    const whitelist = join(dir.path, 'whitelist');
    const allowed = new Set(options.infoHashes ?? []);
    await writeFile(whitelist, [...allowed].map((hash) => `${hash}\n`).join(''));
    await writeFile(join(dir.path, 'opentracker.conf'), `access.whitelist ${whitelist}\n`);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = await ManagedProcess.start('opentracker', 'opentracker', ['-f', join(dir.path, 'opentracker.conf'), '-i', '127.0.0.1', '-p', String(port)], { cwd: dir.path });
      const base = `http://127.0.0.1:${port}`;
      try {
        await waitFor('opentracker to answer', async () => (await httpGet(`${base}/scrape`)).length > 0 || undefined, {
          timeoutMs: readyTimeoutMs,
          abortIf: () => (child.running ? undefined : new Error(child.describeExit())),
        });
      } catch (error) {
        const diedByItself = !child.running;
        await child.stop();
        // Most likely someone took the port between freePort and the bind: try another.
        if (diedByItself && attempt < bindAttempts) continue;
        throw error;
      }
      return trackerHandle(child, port, dir, whitelist, allowed);
    }
  } catch (error) {
    await dir.remove();
    throw error;
  }
}

function trackerHandle(child: ManagedProcess, port: number, dir: TempDir, whitelist: string, allowed: Set<string>): Opentracker {
  const base = `http://127.0.0.1:${port}`;
  const probePeerId = escapeBytes(Buffer.from('-OTPROBE-00000000000').toString('hex'));
  const accepts = async (hash: string): Promise<boolean> => {
    // opentracker accepts event=stopped for any torrent, so the probe announces for real (as a leecher on
    // port 1, which nobody can connect to) and then leaves the swarm.
    const probe = `${base}/announce?info_hash=${escapeBytes(hash)}&peer_id=${probePeerId}&port=1&left=1`;
    const answer = bdict(decode(await httpGet(probe)).value);
    if (answer.has('failure reason')) return false;
    await httpGet(`${probe}&event=stopped`);
    return true;
  };
  const scrape = async (infoHash: string): Promise<SwarmCounts> => {
    const answer = bdict(decode(await httpGet(`${base}/scrape?info_hash=${escapeBytes(infoHash)}`)).value);
    const entry = bdict(answer.get('files') ?? new Map()).get(Buffer.from(infoHash, 'hex').toString('latin1'));
    if (!entry) return { complete: 0, incomplete: 0 };
    const counts = bdict(entry);
    return { complete: Number(counts.get('complete') ?? 0), incomplete: Number(counts.get('incomplete') ?? 0) };
  };
  const abortIf = (): Error | undefined => (child.running ? undefined : new Error(child.describeExit()));
  return {
    url: `${base}/announce`,
    port,
    pid: child.pid,
    async allow(infoHashes) {
      for (const hash of infoHashes) allowed.add(hash.toLowerCase());
      await writeFile(whitelist, [...allowed].map((hash) => `${hash}\n`).join(''));
      // opentracker reloads its whitelist on SIGHUP.
      child.signal('SIGHUP');
      for (const hash of infoHashes) {
        await waitFor(`opentracker to accept ${hash}`, async () => (await accepts(hash)) || undefined, { timeoutMs: readyTimeoutMs, abortIf });
      }
    },
    scrape,
    waitForSwarm(infoHash, atLeast, timeoutMs) {
      const what = `opentracker to see ${atLeast.complete ?? 0} seeders and ${atLeast.incomplete ?? 0} leechers of ${infoHash}`;
      return waitFor(
        what,
        async () => {
          const counts = await scrape(infoHash);
          return counts.complete >= (atLeast.complete ?? 0) && counts.incomplete >= (atLeast.incomplete ?? 0) ? counts : undefined;
        },
        { timeoutMs, intervalMs: 200, abortIf },
      );
    },
    async stop() {
      await child.stop();
      await dir.remove();
    },
  };
}
