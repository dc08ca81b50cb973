import { createServer } from 'node:net';

/**
 * `node static-reply-server.js <port>`: answers every request head with the same bencoded announce answer
 * (50 compact peers), doing no tracker work at all. Under the same generator it shows what any Node HTTP
 * tracker could reach on this machine: the cost of the sockets themselves. Prints "ready" once listening.
 */
const peers = Buffer.alloc(50 * 6, 7);
const body = Buffer.concat([Buffer.from(`d8:completei10e10:downloadedi0e10:incompletei20e8:intervali1800e12:min intervali0e5:peers${peers.length}:`), peers, Buffer.from('e')]);
const answer = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
const HEAD_END = Buffer.from('\r\n\r\n');

const server = createServer({ noDelay: true }, (socket) => {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let start = 0;
    for (let end = pending.indexOf(HEAD_END); end >= 0; end = pending.indexOf(HEAD_END, start)) {
      socket.write(answer);
      start = end + HEAD_END.length;
    }
    pending = pending.subarray(start);
  });
  socket.on('error', () => socket.destroy());
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
const stop = (): void => void server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
