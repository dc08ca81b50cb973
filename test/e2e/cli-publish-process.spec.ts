import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, type TempDir, waitFor, writeFileTree } from '@seedfleet/testing';
import { ADMIN_TOKEN, startPublisher, type PublisherUnderTest } from './publisher-support/harness';

// The CLI as a process: apps/cli/src/main.ts (what bin/seedfleet.js loads from dist/) compiled on the fly
// like Jest does, so real stdout/stderr pipes, exit codes and SIGINT are exercised without `npm run build`.
jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');
const register = join(__dirname, 'publisher-support', 'ts-register.js');
const main = join(root, 'apps', 'cli', 'src', 'main.ts');

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function seedfleet(args: string[], options: { cwd: string; env: Record<string, string>; onStart?: (kill: (signal: NodeJS.Signals) => void) => void }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', register, main, ...args], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.onStart?.((signal) => child.kill(signal));
  });
}

describe('seedfleet publish as a process', () => {
  let publisher: PublisherUnderTest;
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir('sf-cli-process-');
    publisher = await startPublisher();
    await writeFileTree(dir.path, [
      { path: 'pkg/app.bin', size: 150_000 },
      { path: 'pkg/conf/app.toml', size: 200 },
    ]);
  });

  afterAll(async () => {
    await publisher?.close();
    await dir?.remove();
  });

  it('publishes with --json on a pipe (no progress output) and exits 0; a wrong token exits 1 with the server message', async () => {
    const env = { SEEDFLEET_SERVER: publisher.base, SEEDFLEET_TOKEN: ADMIN_TOKEN };
    const published = await seedfleet(['publish', 'pkg', '--product', 'proc-app', '--version', '0.1.0', '--create-product', '--json'], { cwd: dir.path, env });
    expect(published.stderr).toBe('created product proc-app (channels stable, beta)\n');
    expect(published.code).toBe(0);
    const result = JSON.parse(published.stdout) as Record<string, string>;
    const torrent = parseTorrent(Buffer.from(await (await fetch(result.torrentUrl)).arrayBuffer()));
    expect(torrent.infoHashV1?.toString('hex')).toBe(result.infoHashV1);
    expect(torrent.infoHashV2?.toString('hex')).toBe(result.infoHashV2);

    const denied = await seedfleet(['releases', 'list', '--token', 'definitely-wrong-token'], { cwd: dir.path, env: { SEEDFLEET_SERVER: publisher.base } });
    expect(denied).toEqual({ code: 1, stdout: '', stderr: `seedfleet: error: invalid admin token (HTTP 401 from ${publisher.base})\n` });
  });

  it('SIGINT while waiting for a publisher that does not answer exits 130', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      let kill: ((signal: NodeJS.Signals) => void) | undefined;
      const exit = seedfleet(['releases', 'list'], { cwd: dir.path, env: { SEEDFLEET_SERVER: `http://127.0.0.1:${port}`, SEEDFLEET_TOKEN: 'x'.repeat(20) }, onStart: (signal) => (kill = signal) });
      await waitFor('the CLI to connect', async () => (sockets.size > 0 ? true : undefined), { timeoutMs: 30_000, intervalMs: 20 });
      kill!('SIGINT');
      expect(await exit).toEqual({ code: 130, stdout: '', stderr: 'seedfleet: error: interrupted\n' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
