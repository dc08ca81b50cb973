import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTorrentFromPath } from '@seedfleet/metainfo';
import { createTempDir, deterministicBytes, type TempDir } from '@seedfleet/testing';
// Test-only helper of the engine (not part of its public API): a real HTTP/1.1 Range server.
import { RangeFileServer } from '../../../../libs/engine/src/webseed/testing/range-file-server';
import { commands } from '../commands/registry';
import { run } from '../run';
import { liveIo } from '../test-support/live-io';
import { parseOrigin } from './origin-options';

const size = 2 * 1024 * 1024 + 777;
let dir: TempDir;
let server: RangeFileServer;
let content: Buffer;

beforeAll(async () => {
  dir = await createTempDir('seedfleet-cli-webseed-');
  content = deterministicBytes(size, 'cli-web-seed');
  await mkdir(join(dir.path, 'origin'));
  await writeFile(join(dir.path, 'origin', 'app.bin'), content);
  // No url-list in the torrent: the web seed comes from --web-seed.
  const { torrent } = await createTorrentFromPath(join(dir.path, 'origin', 'app.bin'), { version: 'v1', pieceLength: 64 * 1024 });
  await writeFile(join(dir.path, 'app.torrent'), torrent);
  server = await RangeFileServer.start(join(dir.path, 'origin'));
});
afterAll(async () => {
  await server.close();
  await dir.remove();
});

describe('seedfleet get --web-seed', () => {
  it('downloads from a web seed alone and reports webSeedDownloaded and webSeeds in --json-progress', async () => {
    const io = liveIo(dir.path);
    const exit = await run(['get', 'app.torrent', '-o', 'out', '--port', '0', '--no-dht', '--no-lsd', '--web-seed', server.filesUrl, '--json-progress'], io, commands);
    expect(exit).toBe(0);
    expect((await readFile(join(dir.path, 'out', 'app.bin'))).equals(content)).toBe(true);
    const last = JSON.parse(io.out().trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ state: 'seeding', downloaded: size, webSeedDownloaded: size, webSeeds: 1 });
    expect(server.rangeRequests.length).toBeGreaterThan(0);
  });

  it('--origin off never asks the web seed (no peers: nothing to download from)', async () => {
    const io = liveIo(dir.path);
    const before = server.requests.length;
    const exit = run(['get', 'app.torrent', '-o', 'off', '--port', '0', '--no-dht', '--no-lsd', '--web-seed', server.filesUrl, '--origin', 'off', '--json-progress'], io, commands);
    await io.waitFor((out) => (out.split('\n').filter(Boolean).length >= 2 ? true : undefined));
    io.interrupt();
    expect(await exit).toBe(130);
    expect(server.requests.length).toBe(before);
    expect(JSON.parse(io.out().trim().split('\n').at(-1)!)).toMatchObject({ webSeedDownloaded: 0, webSeeds: 0 });
  });

  it('rejects an unknown --origin mode and a non-http web seed with a usage error', async () => {
    expect(() => parseOrigin('always')).toThrow("'always': expected one of fallback, assist, off");
    const io = liveIo(dir.path);
    expect(await run(['get', 'app.torrent', '-o', 'x', '--web-seed', 'ftp://h/x'], io, commands)).toBe(2);
    expect(io.err()).toMatch(/ftp:\/\/h\/x/);
  });
});
