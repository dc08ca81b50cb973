import { open } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

/** One request as the server saw it. */
export interface SeenRequest {
  /** The request target exactly as it came on the request line. */
  readonly rawPath: string;
  /** The decoded file path below the served root (undefined outside the prefix). */
  readonly file?: string;
  readonly range?: { readonly start: number; readonly end: number };
  /** How many requests came for this file before, so scripts can fail the first N. */
  readonly attempt: number;
}

/**
 * A fault or a redirect a test puts in front of the normal answer. Return true when it answered the
 * request itself; false lets the file be served normally.
 */
export type Script = (request: SeenRequest, req: IncomingMessage, res: ServerResponse, server: RangeFileServer) => boolean | Promise<boolean>;

/**
 * A real HTTP/1.1 server with keep-alive that serves files below `root` under `/files/` with single
 * byte-range support, and lets a test script faults per request. Logs every request, and counts the
 * TCP connections it accepted (to show keep-alive reuse).
 */
export class RangeFileServer {
  readonly requests: SeenRequest[] = [];
  script: Script | undefined;
  connections = 0;
  private readonly sockets = new Set<Socket>();
  private readonly attempts = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly root: string,
    private readonly scheme: 'http' | 'https',
  ) {}

  /** `tls`: serve https with this key and certificate. */
  static async start(root: string, tls?: { key: Buffer; cert: Buffer }): Promise<RangeFileServer> {
    const server = tls ? createTlsServer({ keepAliveTimeout: 10_000, ...tls }) : createServer({ keepAliveTimeout: 10_000 });
    const instance = new RangeFileServer(server, root, tls ? 'https' : 'http');
    server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
      instance.connections++;
      instance.sockets.add(socket);
      socket.once('close', () => instance.sockets.delete(socket));
    });
    server.on('request', (req, res) => void instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get origin(): string {
    return `${this.scheme}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The url-list entry for files under the root. */
  get filesUrl(): string {
    return `${this.origin}/files/`;
  }

  /** Requests for file bytes (redirect hops and others excluded). */
  get rangeRequests(): SeenRequest[] {
    return this.requests.filter((request) => request.file !== undefined && !request.rawPath.startsWith('/redirect/'));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Serves `request` normally (scripts call this after changing nothing, or to serve from another path). */
  async serveFile(request: SeenRequest, res: ServerResponse): Promise<void> {
    if (request.file === undefined) {
      res.writeHead(404).end();
      return;
    }
    let handle;
    try {
      handle = await open(join(this.root, ...request.file.split('/')), 'r');
    } catch {
      res.writeHead(404).end();
      return;
    }
    try {
      const { size } = await handle.stat();
      if (!request.range) {
        const body = Buffer.alloc(size);
        await handle.read(body, 0, size, 0);
        res.writeHead(200, { 'content-length': size }).end(body);
        return;
      }
      const { start } = request.range;
      const end = Math.min(request.range.end, size - 1);
      if (start > end) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      const body = Buffer.alloc(end - start + 1);
      await handle.read(body, 0, body.length, start);
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': body.length }).end(body);
    } finally {
      await handle.close();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawPath = req.url ?? '/';
    const file = filePathOf(rawPath);
    const attempt = file === undefined ? 0 : (this.attempts.get(file) ?? 0);
    if (file !== undefined) this.attempts.set(file, attempt + 1);
    const request: SeenRequest = { rawPath, file, range: parseRange(req.headers.range), attempt };
    this.requests.push(request);
    if (this.script && (await this.script(request, req, res, this))) return;
    await this.serveFile(request, res);
  }
}

/** `/files/<percent-encoded components>?query` (or `/redirect/...`) → the decoded path below the root. */
function filePathOf(rawPath: string): string | undefined {
  const match = /^\/(?:files|redirect)\/([^?]*)/.exec(rawPath);
  if (!match) return undefined;
  try {
    return match[1].split('/').map(decodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

function parseRange(header: string | undefined): { start: number; end: number } | undefined {
  const match = header === undefined ? null : /^bytes=(\d+)-(\d+)$/.exec(header);
  return match ? { start: Number(match[1]), end: Number(match[2]) } : undefined;
}
