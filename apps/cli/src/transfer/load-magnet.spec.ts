import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTorrentFromPath, parseMagnet, toMagnet, parseTorrent } from '@seedfleet/metainfo';
import { CliError } from '../cli-error';
import { loadMagnet, magnetTorrentPath } from './load-magnet';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'seedfleet-load-magnet-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

function context(signal?: AbortSignal) {
  const err: string[] = [];
  return { err, value: { directory, port: 0, peers: [], trackers: [], stderr: { write: (text: string) => err.push(text) }, signal } };
}

it('refuses a malformed magnet with a clear message', async () => {
  await expect(loadMagnet('magnet:?xt=urn:btih:nothex', context().value)).rejects.toThrow(/^invalid magnet link: /);
});

it('reuses the .torrent an earlier run saved, and returns the x.pe peers', async () => {
  const { torrent } = await createTorrentFromPath(__filename, { version: 'hybrid' });
  const metainfo = parseTorrent(torrent);
  const magnet = `${toMagnet(metainfo)}&x.pe=10.0.0.1:6881&x.pe=bogus`;
  const path = magnetTorrentPath(directory, parseMagnet(magnet));
  await mkdir(join(directory, '.seedfleet'));
  await writeFile(path, torrent);
  const { value, err } = context();
  const loaded = await loadMagnet(magnet, value);
  expect(loaded.metainfo.infoRaw.equals(metainfo.infoRaw)).toBe(true);
  expect(loaded.peers).toEqual([{ host: '10.0.0.1', port: 6881 }]);
  expect(err).toEqual([]);
});

it('ignores a saved .torrent of another torrent and fetches; an interrupt ends with exit code 130', async () => {
  const { torrent } = await createTorrentFromPath(__filename, { version: 'v1' });
  const magnet = `magnet:?xt=urn:btih:${'12'.repeat(20)}`;
  await mkdir(join(directory, '.seedfleet'));
  await writeFile(magnetTorrentPath(directory, parseMagnet(magnet)), torrent);
  const controller = new AbortController();
  const { value, err } = context(controller.signal);
  const loading = loadMagnet(magnet, value);
  controller.abort();
  const failure = await loading.catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(CliError);
  expect((failure as CliError).exitCode).toBe(130);
  expect(err.join('')).toMatch(/fetching the torrent's metadata/);
});
