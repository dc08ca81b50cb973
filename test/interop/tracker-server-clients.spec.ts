import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTempDir, systemPython, type TempDir } from '@seedfleet/testing';
import { cleanupPrefix, eventually, startTracker, uniquePrefix, type TrackerUnderTest } from './tracker-server-fixtures';

// A libtorrent seeder, an aria2 leecher and a Transmission leecher, with DHT, LSD and PEX off everywhere,
// find each other only through our HTTP tracker and complete the download. Everything runs on this
// machine's first non-loopback IPv4 address: Transmission drops 127.0.0.0/8 peers from tracker replies
// as martian addresses.
jest.setTimeout(120_000);

const size = 2_000_000;

/** A TCP port nothing listens on right now: the clients announce the port they listen on, so 0 will not do. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolveClose) => server.close(resolveClose));
  return port;
}
const expected = Buffer.from(Array.from({ length: size }, (_, index) => (index * 13 + 5) % 251));

describe('aria2 and Transmission download from libtorrent through our tracker', () => {
  const prefix = uniquePrefix('tracker-clients');
  let tracker: TrackerUnderTest;
  let dir: TempDir;
  let seeder: ChildProcessWithoutNullStreams;
  let torrentPath: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const host = Object.values(networkInterfaces())
      .flat()
      .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
    if (host === undefined) throw new Error('this test needs a non-loopback IPv4 address (Transmission ignores loopback peers)');
    tracker = await startTracker({ keyPrefix: prefix, host, tracker: { intervalSeconds: 30, minIntervalSeconds: 0 } });
    dir = await createTempDir('seedfleet-tracker-clients-');
    seeder = spawn(systemPython, [join(__dirname, 'tracker-server-lt-seeder.py'), JSON.stringify({ dir: dir.path, size, pieceLength: 65_536, tracker: tracker.urls.announce, host: tracker.http.host })]);
    let stderr = '';
    seeder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const line = await new Promise<string>((resolveLine, reject) => {
      createInterface({ input: seeder.stdout }).once('line', resolveLine);
      seeder.once('exit', (code) => reject(new Error(`libtorrent seeder exited with ${code}: ${stderr}`)));
    });
    const started = JSON.parse(line) as { torrent?: string; error?: string };
    if (!started.torrent) throw new Error(`libtorrent seeder could not announce: ${started.error}`);
    torrentPath = started.torrent;
  });

  afterAll(async () => {
    for (const child of [...children, seeder]) {
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
        child.kill('SIGTERM');
        await exited;
      }
    }
    await tracker?.stop();
    await cleanupPrefix(prefix);
    await dir?.remove();
  });

  function track(child: ChildProcess): { exited: Promise<number | null>; output: () => string } {
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { exited: new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code))), output: () => output };
  }

  it('aria2 completes the download', async () => {
    const target = join(dir.path, 'aria2');
    const aria2 = track(
      spawn('aria2c', [
        '--dir', target, '--enable-dht=false', '--enable-dht6=false', '--bt-enable-lpd=false', '--enable-peer-exchange=false',
        '--seed-time=0', `--listen-port=${await freePort()}`, '--check-integrity=true', '--console-log-level=warn', '--summary-interval=0', torrentPath,
      ]),
    );
    expect(await aria2.exited).toBe(0);
    expect((await readFile(join(target, 'payload.bin'))).equals(expected)).toBe(true);
  });

  it('Transmission completes the download', async () => {
    const target = join(dir.path, 'transmission');
    const config = join(dir.path, 'transmission-config');
    await mkdir(target, { recursive: true });
    await mkdir(config, { recursive: true });
    await writeFile(join(config, 'settings.json'), JSON.stringify({ 'dht-enabled': false, 'lpd-enabled': false, 'pex-enabled': false, 'utp-enabled': false, 'port-forwarding-enabled': false, 'rpc-enabled': false }));
    const marker = join(dir.path, 'transmission-finished');
    const script = join(dir.path, 'transmission-finished.sh');
    await writeFile(script, `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 });
    const transmission = track(spawn('transmission-cli', ['-g', config, '-w', target, '-p', String(await freePort()), '-M', '-f', script, torrentPath]));
    await eventually(
      () => readFile(marker).then(() => true, () => false),
      (finished) => finished || transmission.output().includes('Error'),
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${transmission.output().slice(-2000)}`);
    });
    expect((await readFile(join(target, 'payload.bin'))).equals(expected)).toBe(true);
  });
});
