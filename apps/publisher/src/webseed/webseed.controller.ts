import { pipeline } from 'node:stream';
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { Controller, Get, Inject, Logger, Req, Res } from '@nestjs/common';
import { type ObjectStore, StorageError } from '@seedfleet/storage';
import { ReleaseCatalog } from '../releases-downloads/release-catalog';
import { OBJECT_STORE } from '../storage/storage.tokens';
import { contentRange, decideRange, type RangeDecision } from './byte-range';
import { webSeedSegments, webSeedTarget, type WebSeedTarget } from './webseed-target';

/** Presigned URLs live long enough for one client's request plus retries, short enough to be useless later. */
export const PRESIGNED_URL_SECONDS = 15 * 60;
const FILE_CACHE_CONTROL = 'public, max-age=300';
/** Web-seed clients (libtorrent, ours) wait this long before asking again after a 503. */
const RETRY_SOON = { 'retry-after': '5' };

type ServedFile = Extract<WebSeedTarget, { kind: 'file' }>;

/**
 * BEP 19 web seed for ready releases: `/webseed/<releaseId>/<torrentName>[/<path...>]`.
 * With S3 storage a GET answers 302 to a fresh presigned URL (the bucket stays private, torrents hold
 * only this stable URL); with local storage the bytes are streamed here with Range support (206, 416).
 * HEAD is always answered here, from the release record. Never buffers a body: a client that goes away
 * mid-stream destroys the storage read.
 */
@Controller('webseed')
export class WebSeedController {
  private readonly logger = new Logger('WebSeed');

  constructor(
    @Inject(OBJECT_STORE) private readonly store: ObjectStore,
    @Inject(ReleaseCatalog) private readonly catalog: ReleaseCatalog,
  ) {}

  @Get('*path')
  async serve(@Req() request: IncomingMessage & { originalUrl?: string }, @Res() response: ServerResponse): Promise<void> {
    const parsed = webSeedSegments(request.originalUrl ?? request.url ?? '/');
    if (parsed === undefined) return sendError(response, 404, 'no such web-seed path: use /webseed/<releaseId>/<torrentName>[/<path>]');
    let release;
    try {
      release = await this.catalog.get(parsed.releaseId);
    } catch (error) {
      this.logger.error(`release ${parsed.releaseId}: ${(error as Error).message}`);
      return sendError(response, 503, 'the release record cannot be read now, try again later', RETRY_SOON);
    }
    const target = webSeedTarget(release, parsed.segments);
    if (target.kind === 'absent') return sendError(response, target.status, target.message);
    if (matchesEtag(request.headers['if-none-match'], target.etag)) {
      response.writeHead(304, { etag: target.etag, 'cache-control': FILE_CACHE_CONTROL });
      return void response.end();
    }
    const head = request.method === 'HEAD';
    if (!head) {
      let presigned: string | undefined;
      try {
        presigned = await this.store.presignGet(target.key, { expiresInSeconds: PRESIGNED_URL_SECONDS });
      } catch (error) {
        this.logger.error(`${target.key}: presigning failed: ${(error as Error).message}`);
        return sendError(response, 503, 'storage is unavailable, try again later', RETRY_SOON);
      }
      if (presigned !== undefined) {
        response.writeHead(302, { location: presigned, 'cache-control': 'no-store', 'content-length': 0 });
        return void response.end();
      }
    }
    const decision = rangeFor(request, target);
    if (decision.kind === 'unsatisfiable') {
      return sendError(response, 416, `range not satisfiable: the file is ${target.size} bytes`, { 'content-range': contentRange(decision, target.size)!, 'accept-ranges': 'bytes' });
    }
    const headers = fileHeaders(target, decision);
    const status = decision.kind === 'partial' ? 206 : 200;
    if (head || target.size === 0) {
      response.writeHead(status, headers);
      return void response.end();
    }
    await this.stream(request, response, target, decision, status, headers);
  }

  private async stream(request: IncomingMessage, response: ServerResponse, target: ServedFile, decision: RangeDecision, status: number, headers: Record<string, string | number>): Promise<void> {
    let result;
    try {
      result = await this.store.get(target.key, decision.kind === 'partial' ? { start: decision.start, end: decision.end } : undefined);
    } catch (error) {
      const missing = error instanceof StorageError && error.code === 'not-found';
      this.logger.error(`${target.key}: ${missing ? 'listed in a ready release but missing from storage' : (error as Error).message}`);
      return sendError(response, missing ? 500 : 503, missing ? 'the file is missing from storage' : 'storage is unavailable, try again later', missing ? {} : RETRY_SOON);
    }
    if (request.destroyed || response.destroyed) return void result.body.destroy();
    if (result.size !== target.size) {
      result.body.destroy();
      this.logger.error(`${target.key}: storage holds ${result.size} bytes, the release record says ${target.size}`);
      return sendError(response, 500, 'the stored file does not match the release record');
    }
    response.writeHead(status, headers);
    // pipeline destroys the storage body when the client goes away, and the response when storage fails.
    pipeline(result.body, response, (error) => {
      if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        this.logger.warn(`${target.key}: stream ended early: ${error.message}`);
      }
    });
  }
}

/** If-Range (RFC 9110 §13.1.5): a Range is honoured only for the same representation, else 200 whole. */
function rangeFor(request: IncomingMessage, target: ServedFile): RangeDecision {
  const ifRange = request.headers['if-range'];
  if (ifRange !== undefined && ifRange !== target.etag && ifRange !== target.lastModified.toUTCString()) return { kind: 'whole' };
  return decideRange(request.headers.range, target.size);
}

function fileHeaders(target: ServedFile, decision: RangeDecision): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    'content-type': 'application/octet-stream',
    'accept-ranges': 'bytes',
    etag: target.etag,
    'last-modified': target.lastModified.toUTCString(),
    'cache-control': FILE_CACHE_CONTROL,
    'content-length': decision.kind === 'partial' ? decision.end - decision.start + 1 : target.size,
  };
  const range = contentRange(decision, target.size);
  if (range !== undefined) headers['content-range'] = range;
  return headers;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/** The API's error shape, `{ statusCode, error, message }`. */
export function sendError(response: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  if (response.headersSent) return void response.destroy();
  const body = Buffer.from(JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message }));
  response.writeHead(status, { ...extra, 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' });
  response.end(body);
}
