import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeFailure } from './encode-replies';
import { TRACKER_CONTENT_TYPE, type HttpTracker } from './http-tracker';

export interface RunningServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** The HTTP tracker on a bare node:http server, for `seedfleet tracker` and tests (the publisher uses Nest). */
export async function startHttpTrackerServer(tracker: HttpTracker, host: string, port: number): Promise<RunningServer> {
  const server = createServer({ keepAlive: true }, (request, response) => void serve(tracker, request, response));
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  return { host, port: address.port, close: () => closeServer(server) };
}

async function serve(tracker: HttpTracker, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return send(response, 405, encodeFailure({ failure: 'malformed-request', reason: 'use GET' }));
  }
  const forwarded = request.headers['x-forwarded-for'];
  const reply = await tracker.handle({
    url: request.url ?? '/',
    socketAddress: request.socket.remoteAddress,
    forwardedFor: Array.isArray(forwarded) ? forwarded.join(', ') : forwarded,
  });
  send(response, reply.status, reply.body);
}

function send(response: ServerResponse, status: number, body: Buffer): void {
  response.writeHead(status, { 'content-type': TRACKER_CONTENT_TYPE, 'content-length': body.length });
  response.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
