import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorDto } from '../api/api-docs';
import { ApiError } from '../api/api-error';
import { ImmutableFileCache } from './immutable-file-cache';
import { TrustService } from './trust.service';

/** Metadata files clients may ask for: consistent snapshots name all but timestamp.json by version. */
const METADATA_NAME = /^(?:[1-9]\d{0,9}\.(?:root|targets|snapshot)\.json|root\.json|timestamp\.json)$/;
/** `<dir>/<sha256>.<name>` under /tuf/targets/. */
const TARGET_PATH = /^(?:[A-Za-z0-9_+=@,~-][A-Za-z0-9._+=@,~-]*\/)*[0-9a-f]{64}\.[A-Za-z0-9_+=@,~-][A-Za-z0-9._+=@,~-]*$/;
/** Versioned metadata and hash-named targets never change once written. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Versioned metadata and hash-named targets cached in memory (per replica). */
const CACHE_BYTES = 32 * 1024 * 1024;
const CACHE_ENTRY_BYTES = 4 * 1024 * 1024;

/**
 * The TUF repository over HTTP: `/tuf/<n>.root.json`, `/tuf/root.json`, `/tuf/timestamp.json`,
 * `/tuf/<n>.snapshot.json`, `/tuf/<n>.targets.json` (a TrustClient's metadataBaseUrl is `/tuf`) and target
 * files at `/tuf/targets/<dir>/<sha256>.<name>` (its targetsBaseUrl). Public: TUF metadata is signed, not secret.
 */
@ApiTags('tuf')
@ApiResponse({ status: 404, type: ErrorDto, description: 'no such metadata file or target' })
@Controller('tuf')
export class TufController {
  private readonly cache = new ImmutableFileCache(CACHE_BYTES, CACHE_ENTRY_BYTES);

  constructor(@Inject(TrustService) private readonly trust: TrustService) {}

  @Get('targets/*path')
  @ApiParam({ name: 'path', description: '<product>/<version>/<sha256>.release.torrent or .../<sha256>.manifest.json' })
  @ApiOkResponse({ description: 'the target bytes, as signed (immutable)' })
  async target(@Req() request: IncomingMessage & { originalUrl?: string }, @Res() response: ServerResponse): Promise<void> {
    const pathname = (request.originalUrl ?? request.url ?? '').split('?')[0];
    const path = decodePath(pathname.replace(/^\/tuf\/targets\//, ''));
    if (path === undefined || !TARGET_PATH.test(path)) throw new ApiError(404, 'no such TUF target: use /tuf/targets/<dir>/<sha256>.<name>');
    const bytes = await this.cache.get(`targets/${path}`, () => this.trust.targetStore.read(path));
    if (!bytes) throw new ApiError(404, `TUF target ${path} does not exist`);
    const type = path.endsWith('.json') ? 'application/json; charset=utf-8' : path.endsWith('.torrent') ? 'application/x-bittorrent' : 'application/octet-stream';
    send(response, bytes, type, IMMUTABLE);
  }

  @Get(':name')
  @ApiParam({ name: 'name', description: 'root.json, <n>.root.json, timestamp.json, <n>.snapshot.json or <n>.targets.json' })
  @ApiOkResponse({ description: 'TUF metadata (JSON); timestamp.json and root.json are served with Cache-Control: no-cache' })
  async metadata(@Param('name') name: string, @Res() response: ServerResponse): Promise<void> {
    if (!METADATA_NAME.test(name)) throw new ApiError(404, `no such TUF metadata file: ${JSON.stringify(name)}`);
    // timestamp.json changes on every re-sign and root.json on a rotation: always read, and caches must revalidate them.
    const mutable = name === 'timestamp.json' || name === 'root.json';
    const bytes = mutable ? await this.trust.metadataStore.read(name) : await this.cache.get(`metadata/${name}`, () => this.trust.metadataStore.read(name));
    if (!bytes) throw new ApiError(404, `TUF metadata ${name} does not exist`);
    send(response, bytes, 'application/json; charset=utf-8', mutable ? 'no-cache' : IMMUTABLE);
  }
}

function send(response: ServerResponse, bytes: Buffer, contentType: string, cacheControl: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'cache-control': cacheControl });
  response.end(bytes);
}

function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
