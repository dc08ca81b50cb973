import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createTorrentFromPath } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type TempDir } from '@seedfleet/testing';
import { run } from '../run';
import { liveIo, type LiveIo } from '../test-support/live-io';
import { commands } from './registry';

const size = 3 * 1024 * 1024 + 12_345;
let dir: TempDir;
let content: Buffer;

beforeAll(async () => {
  dir = await createTempDir('seedfleet-cli-get-');
  content = deterministicBytes(size, 'get-seed');
  await mkdir(join(dir.path, 'origin'));
  await writeFile(join(dir.path, 'origin', 'app.bin'), content);
  const { torrent } = await createTorrentFromPath(join(dir.path, 'origin', 'app.bin'), { version: 'hybrid', pieceLength: 32 * 1024 });
  await writeFile(join(dir.path, 'app.torrent'), torrent);
});
afterAll(() => dir.remove());

interface Running {
  readonly io: LiveIo;
  readonly exit: Promise<number>;
}

function start(argv: string[]): Running {
  const io = liveIo(dir.path);
  return { io, exit: run(argv, io, commands) };
}

/** Starts `seedfleet seed` on a free port and resolves with the port it printed. */
async function startSeeder(): Promise<Running & { port: number }> {
  const seeder = start(['seed', 'app.torrent', '--data', 'origin', '--port', '0', '--json-progress']);
  const port = await seeder.io.waitFor((_out, err) => /on port (\d+)/.exec(err)?.[1]);
  return { ...seeder, port: Number(port) };
}

function progressLines(out: string): Record<string, unknown>[] {
  return out.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('seedfleet get / seed', () => {
  it('downloads from a seeder given with --peer, prints JSON progress, and the seeder stops with 0 on interrupt', async () => {
    const seeder = await startSeeder();
    const get = start(['get', 'app.torrent', '-o', 'first', '--port', '0', '--peer', `127.0.0.1:${seeder.port}`, '--json-progress']);
    expect(await get.exit).toBe(0);
    expect((await readFile(join(dir.path, 'first', 'app.bin'))).equals(content)).toBe(true);
    const lines = progressLines(get.io.out());
    for (const line of lines) expect(Object.keys(line)).toEqual(expect.arrayContaining(['state', 'downloaded', 'total', 'downRate', 'upRate', 'peers']));
    expect(lines.at(-1)).toMatchObject({ state: 'seeding', downloaded: size, total: size });
    expect(get.io.err()).toMatch(/downloaded .*app\.bin/);
    seeder.io.interrupt();
    expect(await seeder.exit).toBe(0);
    expect(seeder.io.err()).toMatch(/stopped seeding/);
  });

  it('resumes an interrupted download without fetching the verified pieces again', async () => {
    const seeder = await startSeeder();
    const argv = ['get', 'app.torrent', '-o', 'resumed', '--port', '0', '--peer', `127.0.0.1:${seeder.port}`, '--json-progress', '--max-down', '1M'];
    const first = start(argv);
    await first.io.waitFor((out) => progressLines(out).some((line) => (line.downloaded as number) >= size / 3));
    first.io.interrupt();
    expect(await first.exit).toBe(130);
    expect(first.io.err()).toMatch(/interrupted at .*run the same command again to resume/);
    expect(await readdir(join(dir.path, 'resumed', '.seedfleet'))).toHaveLength(1);
    const before = Math.max(...progressLines(first.io.out()).map((line) => line.downloaded as number));

    const second = start(argv.filter((arg, index) => arg !== '--max-down' && argv[index - 1] !== '--max-down'));
    expect(await second.exit).toBe(0);
    expect((await readFile(join(dir.path, 'resumed', 'app.bin'))).equals(content)).toBe(true);
    const resumedFrom = progressLines(second.io.out()).find((line) => line.state !== 'checking');
    expect(resumedFrom!.downloaded as number).toBeGreaterThanOrEqual(before);
    seeder.io.interrupt();
    await seeder.exit;
    const uploaded = Math.max(...progressLines(seeder.io.out()).map((line) => line.uploaded as number));
    // Both runs together fetched about one copy: the pieces verified before the interrupt were not sent again.
    expect(uploaded).toBeLessThan(size + before / 2);
  });

  it('warns once about a failing tracker, with its passkey hidden', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const passkey = '0123456789abcdef0123456789abcdef';
    const get = start(['get', 'app.torrent', '-o', 'tracked', '--port', '0', '--tracker', `http://127.0.0.1:${port}/announce/${passkey}`]);
    await get.io.waitFor((_out, err) => err.includes('warning: tracker'));
    get.io.interrupt();
    expect(await get.exit).toBe(130);
    expect(get.io.err()).toContain(`warning: tracker http://127.0.0.1:${port}/announce/***: `);
    expect(get.io.err()).not.toContain(passkey);
    expect(get.io.err().match(/warning: tracker/g)).toHaveLength(1);
  });

  it('downloads with --choking cooperative on both sides', async () => {
    const seeder = start(['seed', 'app.torrent', '--data', 'origin', '--port', '0', '--choking', 'cooperative']);
    const port = Number(await seeder.io.waitFor((_out, err) => /on port (\d+)/.exec(err)?.[1]));
    const get = start(['get', 'app.torrent', '-o', 'cooperative', '--port', '0', '--peer', `127.0.0.1:${port}`, '--choking', 'cooperative']);
    expect(await get.exit).toBe(0);
    expect((await readFile(join(dir.path, 'cooperative', 'app.bin'))).equals(content)).toBe(true);
    seeder.io.interrupt();
    expect(await seeder.exit).toBe(0);
  });

  it('refuses to seed from a directory without the data', async () => {
    await mkdir(join(dir.path, 'empty'), { recursive: true });
    const seeder = start(['seed', 'app.torrent', '--data', 'empty', '--port', '0']);
    expect(await seeder.exit).toBe(1);
    expect(seeder.io.err()).toMatch(/no valid data for 'app\.bin'.*is --data the directory that contains 'app\.bin'/);
  });

  it.each([
    [['get', 'app.torrent'], /-o DIR is required/],
    [['get', 'app.torrent', '-o', 'x', '--peer', 'nowhere'], /HOST:PORT/],
    [['get', 'app.torrent', '-o', 'x', '--max-down', 'fast'], /not a rate/],
    [['seed', 'app.torrent'], /--data DIR is required/],
    [['get', 'app.torrent', '-o', 'x', '--choking', 'generous'], /'generous' is not one of tit-for-tat, cooperative/],
  ])('%j is a usage error', async (argv, message) => {
    const command = start(argv);
    expect(await command.exit).toBe(2);
    expect(command.io.err()).toMatch(message);
  });

  it('names a torrent file that is not one', async () => {
    await writeFile(join(dir.path, 'bad.torrent'), 'd4:infoi1ee');
    const command = start(['get', 'bad.torrent', '-o', 'x']);
    expect(await command.exit).toBe(1);
    expect(command.io.err()).toMatch(/'bad\.torrent' is not a valid torrent/);
    await rm(join(dir.path, 'x'), { recursive: true, force: true });
  });
});
