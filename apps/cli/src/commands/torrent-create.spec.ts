import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTorrent, toMagnet } from '@seedfleet/metainfo';
import { run } from '../run';
import { captureIo } from '../test-support/capture-io';
import { commands } from './registry';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seedfleet-cli-create-'));
  await mkdir(join(dir, 'release', 'lib'), { recursive: true });
  await writeFile(join(dir, 'release', 'app.bin'), Buffer.alloc(300_000, 1));
  await writeFile(join(dir, 'release', 'lib', 'x.so'), Buffer.alloc(70_000, 2));
  await writeFile(join(dir, 'single.iso'), Buffer.alloc(40_000, 3));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function cli(argv: string[], tty = false) {
  const io = captureIo({ cwd: dir, tty });
  const code = await run(argv, io, commands);
  return { code, out: io.out(), err: io.err() };
}

describe('seedfleet torrent create', () => {
  it('writes <name>.torrent in the cwd, hybrid by default, and reports it as JSON', async () => {
    const { code, out, err } = await cli(['torrent', 'create', 'release', '--piece-length', '16K', '--json']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const written = await readFile(join(dir, 'release.torrent'));
    const metainfo = parseTorrent(written);
    expect(metainfo.version).toBe('hybrid');
    expect(JSON.parse(out)).toEqual({
      path: join(dir, 'release.torrent'),
      name: 'release',
      infoHashV1: metainfo.infoHashV1!.toString('hex'),
      infoHashV2: metainfo.infoHashV2!.toString('hex'),
      pieceLength: 16384,
      pieceCount: metainfo.pieceCount,
      totalSize: 370_000,
      magnet: toMagnet(metainfo),
    });
    expect(metainfo.createdBy).toMatch(/^seedfleet\//);
    expect(metainfo.creationDate).toBeGreaterThan(1_700_000_000);
  });

  it('refuses to overwrite without --force', async () => {
    await writeFile(join(dir, 'taken.torrent'), 'keep');
    const refused = await cli(['torrent', 'create', 'single.iso', '-o', 'taken.torrent']);
    expect(refused).toEqual({ code: 1, out: '', err: `seedfleet: error: '${join(dir, 'taken.torrent')}' already exists (use --force to overwrite)\n` });
    expect(await readFile(join(dir, 'taken.torrent'), 'utf8')).toBe('keep');
    const forced = await cli(['torrent', 'create', 'single.iso', '-o', 'taken.torrent', '-f']);
    expect(forced.code).toBe(0);
    expect(parseTorrent(await readFile(join(dir, 'taken.torrent'))).name).toBe('single.iso');
  });

  it('passes version, trackers as tiers, web seeds, private, comment and --no-date into the torrent', async () => {
    const argv = ['torrent', 'create', join(dir, 'single.iso'), '-o', 'opts.torrent', '--v1', '--piece-length=32768', '--no-date', '--private', '--comment', 'nightly build'];
    argv.push('--tracker', 'udp://a.example:1/announce,http://b.example/announce', '--tracker', 'https://c.example/announce', '--web-seed', 'https://mirror.example/');
    const { code, out } = await cli(argv);
    expect(code).toBe(0);
    expect(out).toContain(`Created ${join(dir, 'opts.torrent')}\n`);
    const metainfo = parseTorrent(await readFile(join(dir, 'opts.torrent')));
    expect(metainfo).toMatchObject({
      version: 'v1',
      pieceLength: 32768,
      private: true,
      comment: 'nightly build',
      announce: [['udp://a.example:1/announce', 'http://b.example/announce'], ['https://c.example/announce']],
      urlList: ['https://mirror.example/'],
    });
    expect(metainfo.creationDate).toBeUndefined();
  });

  it('is reproducible with --no-date', async () => {
    await cli(['torrent', 'create', 'release', '--v2', '--no-date', '-o', 'r1.torrent']);
    await cli(['torrent', 'create', 'release', '--v2', '--no-date', '-o', 'r2.torrent']);
    expect(await readFile(join(dir, 'r1.torrent'))).toEqual(await readFile(join(dir, 'r2.torrent')));
  });

  it('draws progress on a terminal stderr only, and clears it', async () => {
    const quiet = await cli(['torrent', 'create', 'release', '-o', 'quiet.torrent']);
    expect(quiet.err).toBe('');
    const tty = await cli(['torrent', 'create', 'release', '-o', 'tty.torrent'], true);
    expect(tty.code).toBe(0);
    expect(tty.err).toMatch(/^\rhashing \[[#-]+\] +\d+% /);
    expect(tty.err).toContain(`\rhashing [${'#'.repeat(30)}] 100%  361.33 KiB / 361.33 KiB`);
    expect(tty.err.endsWith('\r\x1b[K')).toBe(true);
  });

  it.each([
    [['--v1', '--v2'], 'seedfleet: error: choose one of --v1, --v2 and --hybrid (got --v1, --v2)'],
    [['--piece-length', '1000'], 'seedfleet: error: invalid value for --piece-length: 1000 bytes: the piece length must be a power of two from 16K to 256M'],
    [['--tracker', 'ftp://x/'], "seedfleet: error: invalid value for --tracker: 'ftp://x/': expected one of http, https, udp, ws, wss"],
    [['--bogus'], 'seedfleet: error: unknown option --bogus'],
  ])('exits 2 for %j', async (options, line) => {
    const { code, err } = await cli(['torrent', 'create', 'release', ...options]);
    expect(code).toBe(2);
    expect(err.split('\n')[0]).toBe(line);
    expect(err).toContain('usage: seedfleet torrent create <path> [options]');
  });

  it('exits 1 with one line for a path that does not exist, writing nothing', async () => {
    const { code, err } = await cli(['torrent', 'create', 'missing-dir']);
    expect(code).toBe(1);
    expect(err).toBe("seedfleet: error: cannot read 'missing-dir': no such file or directory\n");
    await expect(stat(join(dir, 'missing-dir.torrent'))).rejects.toThrow('ENOENT');
  });

  it('stops when aborted and writes nothing, exit code 130', async () => {
    const controller = new AbortController();
    controller.abort(new Error('interrupted'));
    const io = captureIo({ cwd: dir, signal: controller.signal });
    const code = await run(['torrent', 'create', 'release', '-o', 'aborted.torrent'], io, commands);
    expect(code).toBe(130);
    expect(io.err()).toMatch(/^seedfleet: error: interrupted; no torrent written/);
    await expect(stat(join(dir, 'aborted.torrent'))).rejects.toThrow('ENOENT');
  });
});
