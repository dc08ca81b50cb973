import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTorrentFromPath } from '@seedfleet/metainfo';
import { CliError } from '../cli-error';
import { loadTorrentSource } from './load-torrent-source';

type Route = (response: import('node:http').ServerResponse) => void;

async function serve(routes: Record<string, Route>): Promise<{ base: string; server: Server }> {
  const server = createServer((request, response) => {
    const route = routes[request.url ?? ''];
    if (route) return route(response);
    response.writeHead(404, 'Not Found').end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('loadTorrentSource over HTTP', () => {
  let torrentBytes: Buffer;
  let base: string;
  let server: Server;

  beforeAll(async () => {
    ({ torrent: torrentBytes } = await createTorrentFromPath(__filename, { version: 'v1' }));
    ({ base, server } = await serve({
      '/ok.torrent': (response) => response.writeHead(200, { 'content-type': 'application/x-bittorrent' }).end(torrentBytes),
      '/moved': (response) => response.writeHead(302, { location: '/ok.torrent' }).end(),
      '/garbage': (response) => response.writeHead(200).end('<html>not a torrent</html>'),
      '/huge': (response) => response.writeHead(200, { 'content-length': String(65 * 1024 * 1024) }).end(),
    }));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('downloads and parses a .torrent, following redirects', async () => {
    const direct = await loadTorrentSource('/', `${base}/ok.torrent`);
    const redirected = await loadTorrentSource('/', `${base}/moved`);
    expect(direct.metainfo.infoHashV1).toEqual(redirected.metainfo.infoHashV1);
    expect(direct.metainfo.pieceCount).toBeGreaterThan(0);
  });

  it.each([
    ['/missing', /HTTP 404/],
    ['/garbage', /is not a valid torrent/],
    ['/huge', /too large to be a \.torrent/],
  ])('%s fails with a clear CliError', async (path, message) => {
    const failure = loadTorrentSource('/', `${base}${path}`);
    await expect(failure).rejects.toBeInstanceOf(CliError);
    await expect(failure).rejects.toThrow(message);
  });

  it('needs a directory for a magnet and names unreachable hosts', async () => {
    await expect(loadTorrentSource('/', 'magnet:?xt=urn:btih:' + 'a'.repeat(40))).rejects.toThrow(/a magnet link needs a directory/);
    const closed = await serve({});
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(loadTorrentSource('/', `${closed.base}/x.torrent`)).rejects.toThrow(/cannot fetch .*ECONNREFUSED/);
  });
});
