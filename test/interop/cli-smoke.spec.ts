import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTempDir, libtorrentInspect, writeFileTree, type TempDir } from '@seedfleet/testing';

// The installed entry point, as a user runs it: bin/seedfleet.js on the compiled dist/ (npm run build).
jest.setTimeout(60_000);

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'seedfleet.js');
const run = promisify(execFile);

let dir: TempDir;
beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'apps', 'cli', 'src', 'main.js'))) throw new Error('dist/apps/cli is missing: run `npm run build` before the interop suite');
  dir = await createTempDir('seedfleet-cli-smoke-');
});
afterAll(() => dir?.remove());

async function seedfleet(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: dir.path, timeout: 30_000 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

it('creates a torrent and describes it as JSON; libtorrent agrees', async () => {
  await writeFileTree(dir.path, [
    { path: 'release/app.bin', size: 700_000 },
    { path: 'release/README', size: 1234 },
  ]);
  const created = await seedfleet('torrent', 'create', 'release', '--piece-length', '64K', '--tracker', 'http://t.example/announce', '--json');
  expect(created.stderr).toBe('');
  expect(created.code).toBe(0);
  const result = JSON.parse(created.stdout) as Record<string, unknown>;
  expect(result).toMatchObject({ path: join(dir.path, 'release.torrent'), name: 'release', pieceLength: 65536, totalSize: 701_234 });

  const info = await seedfleet('torrent', 'info', 'release.torrent', '--json');
  expect(info.code).toBe(0);
  const described = JSON.parse(info.stdout) as Record<string, unknown>;
  expect(Object.keys(described).sort()).toEqual(['files', 'infoHashV1', 'infoHashV2', 'magnet', 'name', 'pieceCount', 'pieceLength', 'private', 'totalSize', 'trackers', 'webSeeds']);
  expect(described).toMatchObject({
    name: 'release',
    infoHashV1: result.infoHashV1,
    infoHashV2: result.infoHashV2,
    magnet: result.magnet,
    trackers: [['http://t.example/announce']],
    files: [{ path: 'README', size: 1234 }, { path: 'app.bin', size: 700_000 }],
  });
  const seen = await libtorrentInspect(join(dir.path, 'release.torrent'));
  expect([seen.infoHashV1, seen.infoHashV2]).toEqual([result.infoHashV1, result.infoHashV2]);
});

it('fails with one line and exit code 2 on a bad option, 1 on a bad file', async () => {
  const usage = await seedfleet('torrent', 'create', 'x', '--piece-length', '3K');
  expect(usage.code).toBe(2);
  expect(usage.stderr.split('\n')[0]).toBe('seedfleet: error: invalid value for --piece-length: 3072 bytes: the piece length must be a power of two from 16K to 256M');
  const missing = await seedfleet('torrent', 'info', 'nope.torrent');
  expect(missing).toEqual({ stdout: '', stderr: "seedfleet: error: cannot read 'nope.torrent': no such file or directory\n", code: 1 });
});
