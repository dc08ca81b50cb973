import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BDict } from '@seedfleet/bencode';
import { announceQuery, cleanupPrefix, compactPeers, escapeBytes, httpGet, REDIS_URL, UdpTrackerClient, uniquePrefix } from './tracker-server-fixtures';

// Two `seedfleet tracker` processes (the compiled command, npm run build) sharing one Redis answer as one.
jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');
const dist = join(root, 'dist', 'apps', 'cli', 'src');

/** Runs the tracker command as its own process, whether or not the command registry lists it yet. */
const launcher = `
const { run } = require(${JSON.stringify(join(dist, 'run.js'))});
const { trackerCommand } = require(${JSON.stringify(join(dist, 'commands', 'tracker.js'))});
const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, now: () => performance.now(), signal: controller.signal };
run(process.argv.slice(1), io, [trackerCommand]).then((code) => { process.exitCode = code; });
`;

interface Replica {
  readonly child: ChildProcess;
  readonly announce: string;
  readonly scrape: string;
  readonly udpPort: number;
  readonly exited: Promise<number | null>;
  readonly output: () => string;
}

async function startReplica(keyPrefix: string): Promise<Replica> {
  const child = spawn(process.execPath, ['-e', launcher, '--', 'tracker', '--open', '--host', '127.0.0.1', '--port', '0', '--udp-port', '0', '--redis', REDIS_URL, '--key-prefix', keyPrefix, '--min-interval', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const urls = await new Promise<Record<string, string>>((resolveUrls, reject) => {
    const timer = setTimeout(() => reject(new Error(`tracker did not print its URLs: ${stdout}${stderr}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!/udp +\S+\n/.test(stdout)) return;
      clearTimeout(timer);
      resolveUrls(Object.fromEntries([...stdout.matchAll(/^ {2}(\w+) +(\S+)$/gm)].map((match) => [match[1], match[2]])));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tracker exited with ${code}: ${stderr}`));
    });
  });
  return { child, announce: urls.announce, scrape: urls.scrape, udpPort: Number(new URL(urls.udp).port), exited, output: () => stdout + stderr };
}

describe('two tracker processes sharing one Redis', () => {
  const prefix = uniquePrefix('tracker-replicas');
  let first: Replica;
  let second: Replica;

  beforeAll(async () => {
    if (!existsSync(join(dist, 'commands', 'tracker.js'))) throw new Error('dist/apps/cli/src/commands/tracker.js is missing: run `npm run build` before the interop suite');
    [first, second] = await Promise.all([startReplica(prefix), startReplica(prefix)]);
  });

  afterAll(async () => {
    for (const replica of [first, second]) if (replica && replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await cleanupPrefix(prefix);
  });

  it('gives the same counts and the same swarm whichever replica is asked', async () => {
    const infoHash = randomBytes(20);
    const replicas = [first, second];
    for (let peer = 1; peer <= 6; peer++) {
      await httpGet(`${replicas[peer % 2].announce}?${announceQuery({ infoHash, peer, left: peer <= 2 ? 0 : 100 })}`);
    }
    const scrapes = await Promise.all(replicas.map((replica) => httpGet(`${replica.scrape}?info_hash=${escapeBytes(infoHash)}`)));
    const counts = scrapes.map((reply) => Object.fromEntries((reply.body.get('files') as BDict).get(infoHash.toString('latin1')) as BDict));
    expect(counts[0]).toEqual({ complete: 2, downloaded: 0, incomplete: 4 });
    expect(counts[1]).toEqual(counts[0]);
    // A peer announcing at one replica is handed peers that only ever announced at the other.
    const reply = await httpGet(`${second.announce}?${announceQuery({ infoHash, peer: 7, numwant: 50 })}`);
    expect(compactPeers(reply.body.get('peers'), 6).map((peer) => peer.port).sort()).toEqual([6001, 6002, 6003, 6004, 6005, 6006]);
  });

  it('accepts at one replica the UDP connection id issued by the other', async () => {
    const infoHash = randomBytes(20);
    const atFirst = new UdpTrackerClient('127.0.0.1', first.udpPort);
    const atSecond = new UdpTrackerClient('127.0.0.1', second.udpPort);
    try {
      const connectionId = await atFirst.connect();
      await atFirst.request(atFirst.announceMessage(connectionId, { infoHash, peer: 1, port: 7001, left: 0n }));
      const reply = await atSecond.request(atSecond.announceMessage(connectionId, { infoHash, peer: 2, port: 7002, left: 5n }));
      expect(reply.readUInt32BE(0)).toBe(1);
      expect(compactPeers(reply.subarray(20), 6)).toEqual([{ ip: '127.0.0.1', port: 7001 }]);
    } finally {
      atFirst.close();
      atSecond.close();
    }
  });

  it('stops cleanly on SIGTERM and SIGINT with exit code 0', async () => {
    first.child.kill('SIGTERM');
    second.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(await second.exited).toBe(0);
    expect(first.output()).toContain('stopping tracker');
    await expect(fetch(first.announce)).rejects.toThrow();
  });
});
