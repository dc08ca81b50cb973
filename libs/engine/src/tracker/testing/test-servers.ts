import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Tiny real servers on 127.0.0.1 for tracker client tests: each test scripts exactly what its server says.

export interface RunningServer {
  readonly port: number;
  /** Requests (HTTP: path and query) or packets (UDP) received so far. */
  readonly received: unknown[];
  close(): Promise<void>;
}

export async function serveHttp(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<RunningServer & { base: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    received.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function serveUdp(
  handler: (packet: Buffer, reply: (answer: Buffer) => void, remote: RemoteInfo) => void,
  type: 'udp4' | 'udp6' = 'udp4',
): Promise<RunningServer & { received: Buffer[]; socket: Socket }> {
  const received: Buffer[] = [];
  const socket = createSocket(type);
  socket.on('message', (packet, remote) => {
    received.push(packet);
    handler(packet, (answer) => socket.send(answer, remote.port, remote.address), remote);
  });
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  return {
    port: socket.address().port,
    received,
    socket,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A port nothing listens on: bound, read, released. */
export async function closedTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
