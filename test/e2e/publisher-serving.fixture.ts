import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { parseTorrent } from '@seedfleet/metainfo';
import { WebSeed } from '../../libs/engine/src/webseed';
import type { Release } from '../../apps/publisher/src/releases/release.model';
import type { PublisherUnderTest } from './publisher-support/harness';

/**
 * Publishes a release through the real API (product, release, uploads, build) and waits until it is
 * ready: the records, torrent and manifest the serving side reads are the build pipeline's own.
 */
export async function publishRelease(publisher: PublisherUnderTest, product: string, version: string, files: Record<string, Buffer>, options: { public?: boolean } = {}): Promise<Release> {
  const existing = await publisher.api('GET', `/api/products/${product}`);
  if (existing.status === 404) expect((await publisher.api('POST', '/api/products', { body: { name: product } })).status).toBe(201);
  const created = await publisher.api('POST', '/api/releases', { body: { product, version, public: options.public ?? false } });
  if (created.status !== 201) throw new Error(`creating ${product} ${version}: ${created.status} ${JSON.stringify(created.json)}`);
  const id = (created.json as unknown as Release).id;
  for (const [path, bytes] of Object.entries(files)) {
    const put = await publisher.api('PUT', `/api/releases/${id}/files/${path.split('/').map(encodeURIComponent).join('/')}`, { raw: bytes });
    if (put.status !== 201) throw new Error(`uploading ${path}: ${put.status} ${JSON.stringify(put.json)}`);
  }
  const build = await publisher.api('POST', `/api/releases/${id}/build`);
  if (build.status !== 202) throw new Error(`building: ${build.status} ${JSON.stringify(build.json)}`);
  return publisher.waitForRelease(id, (release) => release.status === 'ready');
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A request with the path sent exactly as written (fetch would resolve `..` and re-encode). */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}

/** The URL path of a release file on the web seed (BEP 19: each component percent-encoded). */
export function webSeedPath(release: Release, path?: string): string {
  const file = path === undefined ? '' : `/${path.split('/').map(encodeURIComponent).join('/')}`;
  return `/webseed/${release.id}/${encodeURIComponent(release.torrentName)}${file}`;
}

/**
 * Every piece of the torrent through our own engine's web-seed client (what agents use), each checked
 * against its SHA-1. Returns the pieces that failed or never came.
 */
export async function fetchAllPiecesWithOurWebSeed(torrent: Buffer): Promise<{ bad: number[]; undelivered: number[]; error?: string; requests: number; redirects: number }> {
  const metainfo = parseTorrent(torrent);
  const seed = new WebSeed(metainfo, metainfo.urlList[0]);
  const bad: number[] = [];
  try {
    const result = await seed.fetch({
      first: 0,
      end: metainfo.pieceCount,
      onPiece: (index, data) => {
        const expected = metainfo.pieces!.subarray(index * 20, index * 20 + 20);
        if (!createHash('sha1').update(data).digest().equals(expected)) bad.push(index);
      },
    });
    return { bad, undelivered: result.undelivered, error: result.error?.message, requests: seed.stats.requests, redirects: seed.stats.redirects };
  } finally {
    seed.close();
  }
}
