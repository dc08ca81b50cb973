import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, HttpException, Inject, Param, Req, Res } from '@nestjs/common';
import { parseTorrent, toMagnet } from '@seedfleet/metainfo';
import { PASSKEY_PATTERN } from '@seedfleet/tracker';
import { ApiError } from '../api/api-error';
import type { StoredRelease } from '../releases/release.model';
import { PASSKEY_PLACEHOLDER, substitutePasskey, torrentWithPasskey } from './announce-passkey';
import { ReleaseCatalog } from './release-catalog';

type Request = IncomingMessage & { query?: Record<string, unknown> };

/**
 * Per-release downloads: the .torrent (with an agent's passkey put into a private release's announce URL
 * when one is given by `?passkey=` or `X-Seedfleet-Passkey`), its magnet link and the manifest.
 * Unknown release 404, not built yet 409, retired 410. Without a passkey the .torrent is served exactly as
 * built (the bytes TUF signs).
 */
@Controller('api/releases/:id')
export class DownloadsController {
  constructor(@Inject(ReleaseCatalog) private readonly catalog: ReleaseCatalog) {}

  @Get('torrent')
  async torrent(@Param('id') id: string, @Req() request: Request, @Res() response: ServerResponse): Promise<void> {
    const passkey = passkeyOf(request);
    const release = await this.readyRelease(id);
    const built = await this.builtTorrent(release);
    const body = passkey === undefined ? built : torrentWithPasskey(built, passkey);
    response.writeHead(200, {
      'content-type': 'application/x-bittorrent',
      'content-length': body.length,
      'content-disposition': `attachment; filename="${release.torrentName}.torrent"`,
      // A torrent carrying an agent's passkey is that agent's credential: no shared cache may keep it.
      'cache-control': passkey === undefined ? 'public, max-age=300' : 'private, no-store',
    });
    response.end(body);
  }

  @Get('magnet')
  async magnet(@Param('id') id: string, @Req() request: Request, @Res() response: ServerResponse): Promise<void> {
    const passkey = passkeyOf(request);
    const release = await this.readyRelease(id);
    const metainfo = parseTorrent(await this.builtTorrent(release));
    const trackers = metainfo.announce
      .flat()
      .map((url) => (passkey === undefined ? url : substitutePasskey(url, passkey)))
      .filter((url) => !url.includes(PASSKEY_PLACEHOLDER));
    const body = Buffer.from(`${toMagnet({ infoHashV1: metainfo.infoHashV1, infoHashV2: metainfo.infoHashV2, name: metainfo.name, trackers, webSeeds: metainfo.urlList, peers: [] })}\n`);
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length, 'cache-control': passkey === undefined ? 'public, max-age=300' : 'private, no-store' });
    response.end(body);
  }

  @Get('manifest')
  async manifest(@Param('id') id: string, @Res() response: ServerResponse): Promise<void> {
    const release = await this.readyRelease(id);
    const body = await this.catalog.manifest(release.id);
    if (body === undefined) throw new ApiError(503, `release ${release.id} is ready but its manifest is missing from storage`);
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'public, max-age=300' });
    response.end(body);
  }

  private async readyRelease(id: string): Promise<StoredRelease> {
    const release = await this.catalog.get(id);
    if (release === undefined) throw new ApiError(404, `release ${JSON.stringify(id)} does not exist`);
    if (release.status === 'retired') throw new HttpException(`release ${release.id} is retired`, 410);
    if (release.status !== 'ready') throw new ApiError(409, `release ${release.id} is not ready yet (status ${release.status}); try again when its build is done`);
    return release;
  }

  private async builtTorrent(release: StoredRelease): Promise<Buffer> {
    const torrent = await this.catalog.torrent(release.id);
    if (torrent === undefined) throw new ApiError(503, `release ${release.id} is ready but its torrent is missing from storage`);
    return torrent;
  }
}

/** `?passkey=` or the X-Seedfleet-Passkey header (not both differing); undefined when neither is given. */
function passkeyOf(request: Request): string | undefined {
  const fromQuery = request.query?.passkey;
  const fromHeader = request.headers['x-seedfleet-passkey'];
  if (Array.isArray(fromQuery) || typeof fromQuery === 'object' || Array.isArray(fromHeader)) throw new ApiError(400, 'passkey: give it once');
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) throw new ApiError(400, 'passkey: the query and X-Seedfleet-Passkey differ');
  const passkey = (fromQuery ?? fromHeader) as string | undefined;
  if (passkey === undefined) return undefined;
  if (!PASSKEY_PATTERN.test(passkey)) throw new ApiError(400, `passkey: expected 8 to 128 characters of A-Z, a-z, 0-9, "_" and "-" (as returned by POST /api/enroll)`);
  return passkey;
}
