import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request: forward it, answer an S3 error, or reset the connection. */
export type FaultAction = 'pass' | 'reset' | { readonly status: number; readonly code: string; readonly message?: string; readonly retryAfterSeconds?: number };

export const SLOW_DOWN: FaultAction = { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
export const INTERNAL_ERROR: FaultAction = { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' };
export const ACCESS_DENIED: FaultAction = { status: 403, code: 'AccessDenied', message: 'Access Denied' };

export interface ProxiedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly action: 'pass' | 'reset' | number;
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the client instead of the real endpoint. */
  readonly endpoint: string;
  /** Every request seen, in arrival order. */
  readonly requests: readonly ProxiedRequest[];
  /** Queues actions for the next requests (in order); requests beyond the queue pass through. */
  script(...actions: FaultAction[]): void;
  stop(): Promise<void>;
}

/**
 * A scripted HTTP proxy in front of an S3 endpoint (s3rver) for retry tests over real HTTP: each request
 * takes the next queued action. Headers go through untouched, so SigV4 signatures made for the proxy's
 * host still verify upstream.
 */
export async function startFaultProxy(options: { readonly target: string; readonly host?: string }): Promise<FaultProxy> {
  const target = new URL(options.target);
  const queue: FaultAction[] = [];
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const action = queue.shift() ?? 'pass';
    requests.push({ method: req.method ?? '', url: req.url ?? '', action: typeof action === 'string' ? action : action.status });
    if (action === 'reset') {
      req.socket.destroy();
      return;
    }
    if (action === 'pass') {
      forward(req, res, target);
      return;
    }
    // Read the request body first, as S3 does, so the client sees the answer rather than a broken pipe.
    req.resume();
    req.on('end', () => {
      const body = req.method === 'HEAD' ? '' : s3ErrorXml(action.code, action.message ?? action.code);
      const headers: Record<string, string | number> = { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) };
      if (action.retryAfterSeconds !== undefined) headers['retry-after'] = action.retryAfterSeconds;
      res.writeHead(action.status, headers);
      res.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://${options.host ?? '127.0.0.1'}:${port}`,
    requests,
    script: (...actions) => queue.push(...actions),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

function s3ErrorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
}
