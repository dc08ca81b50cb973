import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmod, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import type { PeerAddress } from '@seedfleet/wire';
import { announce, Announcer, type AnnounceParams, scrape, TrackerError, UdpConnectionCache } from '../../libs/engine/src/tracker';

// Our tracker client against a real opentracker (the Debian build, which runs in whitelist mode): two
// peers find each other over HTTP and over UDP, scrape counts them, a stopped peer disappears, and an
// info hash off the whitelist gives a TrackerError.
jest.setTimeout(60_000);

const httpHash = Buffer.alloc(20, 0x11);
const udpHash = Buffer.alloc(20, 0x22);
const unlistedHash = Buffer.alloc(20, 0x33);
const peerA = { peerId: Buffer.from('-SF0001-aaaaaaaaaaaa'), port: 40001 };
const peerB = { peerId: Buffer.from('-SF0001-bbbbbbbbbbbb'), port: 40002 };

let dir: TempDir;
let tracker: ChildProcess;
let port: number;

/** A port free for both TCP and UDP on 127.0.0.1 (opentracker listens on both). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const candidate = (server.address() as { port: number }).port;
  const socket = createSocket('udp4');
  const udpFree = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(candidate, '127.0.0.1', () => resolve(true));
  });
  if (udpFree) await new Promise<void>((resolve) => socket.close(() => resolve()));
  await new Promise((resolve) => server.close(resolve));
  return udpFree ? candidate : freePort();
}

function params(infoHash: Buffer, peer: typeof peerA, extra: Partial<AnnounceParams> = {}): AnnounceParams {
  return { infoHash, peerId: peer.peerId, port: peer.port, uploaded: 0, downloaded: 0, left: 1000, ...extra };
}

const udpOptions = { udpRetransmitBaseMs: 500, udpConnections: new UdpConnectionCache() };

/** opentracker prints nothing when ready and loads its whitelist in a thread: ask until it answers for a listed hash. */
async function waitUntilServing(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await announce(url, params(httpHash, peerA, { event: 'stopped' }), { timeoutMs: 1000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

beforeAll(async () => {
  dir = await createTempDir('seedfleet-opentracker-');
  // opentracker chroots into the directory and drops privileges, so it must be world-readable.
  await chmod(dir.path, 0o755);
  await writeFile(join(dir.path, 'whitelist.txt'), `${httpHash.toString('hex')}\n${udpHash.toString('hex')}\n`, { mode: 0o644 });
  port = await freePort();
  tracker = spawn('opentracker', ['-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-d', dir.path, '-w', 'whitelist.txt'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    tracker.once('spawn', resolve);
    tracker.once('error', reject);
  });
  await waitUntilServing(`http://127.0.0.1:${port}/announce`);
});

afterAll(async () => {
  if (tracker?.exitCode === null && tracker.signalCode === null) {
    const exited = new Promise((resolve) => tracker.once('exit', resolve));
    tracker.kill('SIGTERM');
    await exited;
  }
  await dir?.remove();
});

const hasPeer = (peers: PeerAddress[], peer: typeof peerA): boolean => peers.some((candidate) => candidate.host === '127.0.0.1' && candidate.port === peer.port);

// opentracker refuses an unlisted hash with a failure reason over HTTP, but over UDP it sends an announce
// answer cut to its 8-byte header (trackerlogic.c returns 0 bytes of body for FLAG_UDP); libtorrent too
// calls that an invalid response length.
describe.each([
  ['HTTP', () => `http://127.0.0.1:${port}/announce`, httpHash, { code: 'failure', message: /not authorized/ }],
  ['UDP', () => `udp://127.0.0.1:${port}/announce`, udpHash, { code: 'bad-response', message: /at least 20 bytes, got 8/ }],
])('opentracker over %s', (_protocol, trackerUrl, infoHash, refusal) => {
  it('lets two peers find each other, counts them, and forgets a stopped one', async () => {
    const url = trackerUrl();
    const first = await announce(url, params(infoHash, peerA, { event: 'started' }), udpOptions);
    expect(first.interval).toBeGreaterThan(0);
    expect(hasPeer(first.peers, peerB)).toBe(false);

    const second = await announce(url, params(infoHash, peerB, { event: 'started', left: 0 }), udpOptions);
    expect(hasPeer(second.peers, peerA)).toBe(true);
    expect([second.complete, second.incomplete]).toEqual([1, 1]);

    const again = await announce(url, params(infoHash, peerA), udpOptions);
    expect(hasPeer(again.peers, peerB)).toBe(true);

    const counts = (await scrape(url, [infoHash], udpOptions)).get(infoHash.toString('hex'));
    expect(counts).toMatchObject({ complete: 1, incomplete: 1 });

    await announce(url, params(infoHash, peerB, { event: 'stopped', left: 0 }), udpOptions);
    const afterStop = await announce(url, params(infoHash, peerA), udpOptions);
    expect(hasPeer(afterStop.peers, peerB)).toBe(false);
    expect(afterStop.complete).toBe(0);
  });

  it('reports an info hash off the whitelist as a TrackerError', async () => {
    const error = await announce(trackerUrl(), params(unlistedHash, peerA), udpOptions).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrackerError);
    expect((error as TrackerError).code).toBe(refusal.code);
    expect((error as TrackerError).message).toMatch(refusal.message);
  });
});

describe('Announcers on opentracker', () => {
  it('find each other through a dead UDP tier falling back to HTTP, and leave with stopped', async () => {
    const httpUrl = `http://127.0.0.1:${port}/announce`;
    const deadUdp = `udp://127.0.0.1:${await freePort()}/announce`;
    const errors: Error[] = [];
    const make = (peer: typeof peerA, onPeers: (peers: PeerAddress[]) => void, onAnswer: () => void) =>
      new Announcer({
        tiers: [[deadUdp], [httpUrl]],
        infoHash: udpHash,
        peerId: peer.peerId,
        port: peer.port,
        stats: () => ({ uploaded: 0, downloaded: 0, left: 500 }),
        onPeers,
        onAnswer,
        onError: (error) => errors.push(error),
        request: { timeoutMs: 300, udpRetransmitBaseMs: 100, udpConnections: new UdpConnectionCache() },
      });
    let aAnswered!: () => void;
    let bSawA!: () => void;
    const aIn = new Promise<void>((resolve) => (aAnswered = resolve));
    const bFound = new Promise<void>((resolve) => (bSawA = resolve));
    const a = make(peerA, () => undefined, () => aAnswered());
    const b = make(peerB, (peers) => hasPeer(peers, peerA) && bSawA(), () => undefined);
    a.start();
    await aIn;
    b.start();
    await bFound;
    expect(errors.map((error) => [(error as TrackerError).code, (error as TrackerError).url])).toEqual([
      ['timeout', deadUdp],
      ['timeout', deadUdp],
    ]);

    await Promise.all([a.stop(), b.stop()]);
    const counts = (await scrape(httpUrl, [udpHash])).get(udpHash.toString('hex'));
    expect(counts).toMatchObject({ complete: 0, incomplete: 0 });
  });
});
