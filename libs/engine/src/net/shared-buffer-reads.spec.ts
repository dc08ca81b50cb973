import { createServer, type Server, type Socket } from 'node:net';
import { dialWithSharedReads } from './shared-buffer-reads';

/** A server that writes `payload(socketNumber)` to every connection and then ends it. */
async function serving(payload: (connection: number) => Buffer): Promise<{ server: Server; port: number }> {
  let connections = 0;
  const server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.end(payload(connections++));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const pattern = (fill: number, length: number): Buffer => Buffer.from(Array.from({ length }, (_, at) => (at * 7 + fill) & 0xff));
const closed = (socket: Socket): Promise<void> => new Promise((resolve) => socket.once('close', () => resolve()));

describe('dialWithSharedReads', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('reads two connections through one buffer, each receiving exactly its own bytes', async () => {
    const size = 3 * 1024 * 1024;
    const { server, port } = await serving((connection) => pattern(connection + 1, size));
    servers.push(server);
    const memories = new Set<ArrayBufferLike>();
    const receive = async (): Promise<Buffer> => {
      const { socket, input } = dialWithSharedReads('127.0.0.1', port);
      const chunks: Buffer[] = [];
      input.setConsumer((chunk) => {
        memories.add(chunk.buffer);
        chunks.push(Buffer.from(chunk));
      });
      await closed(socket);
      return Buffer.concat(chunks);
    };
    const received = await Promise.all([receive(), receive()]);
    expect(received.map((bytes) => bytes.length)).toEqual([size, size]);
    const sorted = received.sort((a, b) => a[0] - b[0]);
    expect([sorted[0].equals(pattern(1, size)), sorted[1].equals(pattern(2, size))]).toEqual([true, true]);
    expect(memories.size).toBe(1);
  });

  it('keeps what arrives before there is a consumer and hands it over first', async () => {
    const payload = pattern(3, 200 * 1024);
    const { server, port } = await serving(() => payload);
    servers.push(server);
    const { socket, input } = dialWithSharedReads('127.0.0.1', port);
    // Reads come with no consumer set: held, and reading pauses past the hold limit.
    while (socket.bytesRead === 0) await new Promise((resolve) => setImmediate(resolve));
    const chunks: Buffer[] = [];
    const end = closed(socket);
    input.setConsumer((chunk) => chunks.push(Buffer.from(chunk)));
    await end;
    expect(Buffer.concat(chunks).equals(payload)).toBe(true);
  });

  it('stops handing chunks to a consumer that unsets itself, and gives the rest to the next', async () => {
    const payload = pattern(5, 1024 * 1024);
    const { server, port } = await serving(() => payload);
    servers.push(server);
    const { socket, input } = dialWithSharedReads('127.0.0.1', port);
    const first: Buffer[] = [];
    const paused = new Promise<void>((resolve) =>
      input.setConsumer((chunk) => {
        first.push(Buffer.from(chunk));
        input.setConsumer(undefined);
        resolve();
      }),
    );
    await paused;
    expect(first).toHaveLength(1);
    const rest: Buffer[] = [];
    const end = closed(socket);
    input.setConsumer((chunk) => rest.push(Buffer.from(chunk)));
    await end;
    expect(Buffer.concat([...first, ...rest]).equals(payload)).toBe(true);
  });

  it('still sees the end of the stream when resumed without a consumer', async () => {
    const { server, port } = await serving(() => Buffer.alloc(100));
    servers.push(server);
    const { socket, input } = dialWithSharedReads('127.0.0.1', port);
    input.setConsumer(undefined);
    socket.resume();
    await closed(socket);
    expect(socket.destroyed).toBe(true);
  });
});
