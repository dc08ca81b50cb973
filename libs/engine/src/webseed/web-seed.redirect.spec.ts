import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashPool } from '@seedfleet/hashing';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { RangeFileServer } from './testing/range-file-server';
import { corruptPieces, fetchPieces, webSeedFixture, type WebSeedFixture } from './testing/web-seed-fixture';

const KiB = 1024;
// A presigned-URL-like query: escapes that must not be decoded, '+', '~', quotes and '|' that WHATWG URL
// serialisation would touch, and a repeated key. The signature covers it byte for byte.
const SIGNED_QUERY =
  "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261121%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261121T200000Z&X-Amz-SignedHeaders=host&x=a+b~c'd'|e&x=%7e&X-Amz-Signature=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

let pool: HashPool;
let dir: TempDir;
let fixture: WebSeedFixture;
let storage: RangeFileServer | undefined;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => {
  dir = await createTempDir('seedfleet-webseed-redirect-');
  fixture = await webSeedFixture(
    dir.path,
    { name: 'rel 1', version: 'hybrid', pieceLength: 16 * KiB, files: [{ path: 'a.bin', size: 50_000 }, { path: 'sub/b c.bin', size: 70_000 }] },
    pool,
  );
});
afterEach(async () => {
  await fixture.close();
  await storage?.close();
  storage = undefined;
  await dir.remove();
});

/** Answers /files/... with `status` to `location(path)`; serves /redirect/... only when its query is exactly SIGNED_QUERY. */
function redirectTo(location: (filePath: string) => string, status = 302): void {
  fixture.server.script = (request, _req, res) => {
    const [path, query = ''] = request.rawPath.split(/(?=\?)/);
    if (path.startsWith('/files/')) {
      res.writeHead(status, { location: location(path.slice('/files/'.length)), 'content-length': 0 }).end();
      return true;
    }
    if (`${query}` !== SIGNED_QUERY) {
      res.writeHead(403, { 'content-length': 9 }).end('signature');
      return true;
    }
    return false;
  };
}

describe('web seed redirects', () => {
  it.each([
    ['an absolute URL', 302, (path: string) => `${fixture.server.origin}/redirect/${path}${SIGNED_QUERY}`],
    ['an absolute path', 307, (path: string) => `/redirect/${path}${SIGNED_QUERY}`],
    ['a relative path with dot segments', 301, (path: string) => `${'../'.repeat(path.split('/').length)}redirect/${path}${SIGNED_QUERY}`],
    ['a URL with a fragment', 308, (path: string) => `${fixture.server.origin}/redirect/${path}${SIGNED_QUERY}#part`],
  ])('follows %s (%d) and sends the signed query byte for byte', async (_kind, status, location) => {
    redirectTo(location, status);
    const seed = fixture.seed();
    const { pieces, result } = await fetchPieces(seed, 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    const redirected = fixture.server.requests.filter((request) => request.rawPath.startsWith('/redirect/'));
    expect(redirected.map((request) => request.rawPath)).toEqual([`/redirect/rel%201/a.bin${SIGNED_QUERY}`, `/redirect/rel%201/sub/b%20c.bin${SIGNED_QUERY}`]);
    expect(redirected.every((request) => request.range !== undefined)).toBe(true);
    expect(seed.stats).toMatchObject({ requests: 4, redirects: 2 });
    // The redirect's empty body was read, so its keep-alive connection carried the next request too.
    expect(fixture.server.connections).toBe(1);
  });

  it('follows a redirect to another host (the object store) with its own keep-alive connection', async () => {
    storage = await RangeFileServer.start(fixture.torrent.directory);
    const s3 = storage;
    s3.script = (request, _req, res) => {
      if (request.rawPath.endsWith(SIGNED_QUERY)) return false;
      res.writeHead(403).end();
      return true;
    };
    fixture.server.script = (request, _req, res) => {
      res.writeHead(302, { location: `${s3.origin}/files/${request.rawPath.slice('/files/'.length)}${SIGNED_QUERY}`, 'content-length': 0 }).end();
      return true;
    };
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, fixture.torrent.metainfo.pieceCount);
    expect(result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, pieces)).toEqual([]);
    expect(s3.rangeRequests).toHaveLength(2);
    expect(s3.connections).toBe(1);
  });

  it('follows a redirect to an https object store whose certificate chains to a given CA; without it: tls, not retried', async () => {
    const key = join(dir.path, 'key.pem');
    const cert = join(dir.path, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    storage = await RangeFileServer.start(fixture.torrent.directory, { key: readFileSync(key), cert: readFileSync(cert) });
    const s3 = storage;
    fixture.server.script = (request, _req, res) => {
      res.writeHead(302, { location: `${s3.origin}/files/${request.rawPath.slice('/files/'.length)}${SIGNED_QUERY}`, 'content-length': 0 }).end();
      return true;
    };
    const trusted = await fetchPieces(fixture.seed({ ca: readFileSync(cert) }), 0, fixture.torrent.metainfo.pieceCount);
    expect(trusted.result.error).toBeUndefined();
    expect(corruptPieces(fixture.torrent.metainfo, trusted.pieces)).toEqual([]);
    expect(s3.rangeRequests.map((request) => request.rawPath.endsWith(SIGNED_QUERY))).toEqual([true, true]);

    const untrusted = fixture.seed();
    const { pieces, result } = await fetchPieces(untrusted, 0, 2);
    expect(result.error?.code).toBe('tls');
    expect(result.error?.url.startsWith('https://127.0.0.1:')).toBe(true);
    expect(pieces.size).toBe(0);
    expect(untrusted.stats.failures).toBe(1);
  });

  it('gives up after maxRedirects with too-many-redirects', async () => {
    fixture.server.script = (request, _req, res) => {
      res.writeHead(302, { location: request.rawPath }).end();
      return true;
    };
    const seed = fixture.seed({ maxRedirects: 3 });
    const { pieces, result } = await fetchPieces(seed, 0, 2);
    expect(result.error?.code).toBe('too-many-redirects');
    expect(pieces.size).toBe(0);
    expect(fixture.server.requests).toHaveLength(4);
  });

  it.each([
    ['ftp://127.0.0.1/file', /ftp: URL/],
    ['file:///etc/passwd', /file: URL/],
    ['javascript:alert(1)', /javascript: URL/],
    [undefined, /without a Location/],
    ['http://[::1', /invalid URL/],
  ])('refuses a redirect to %p with bad-redirect', async (location, message) => {
    fixture.server.script = (_request, _req, res) => {
      res.writeHead(302, location === undefined ? {} : { location }).end();
      return true;
    };
    const { pieces, result } = await fetchPieces(fixture.seed(), 0, 2);
    expect(result.error?.code).toBe('bad-redirect');
    expect(result.error?.message).toMatch(message);
    expect(pieces.size).toBe(0);
    expect(fixture.server.requests).toHaveLength(1);
  });
});
