'use strict';
// A TCP sender or receiver for checking that a shaped link runs at its rate:
//   node rate-probe.js receive '{"host","port"}'   prints {"event":"listening","port"} then, after one
//                                                   connection ends, {"event":"received","bytes","seconds"}
//   node rate-probe.js send '{"host","port","bytes"}' writes that many bytes and exits 0
// The receiver's clock runs from the first byte to the end, so connection set-up is not counted.
const net = require('node:net');

const [mode, json] = process.argv.slice(2);
const options = JSON.parse(json);
const print = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

if (mode === 'receive') {
  const server = net.createServer((socket) => {
    let bytes = 0;
    let first;
    socket.on('data', (chunk) => {
      first ??= process.hrtime.bigint();
      bytes += chunk.length;
    });
    socket.on('end', () => {
      const seconds = first === undefined ? 0 : Number(process.hrtime.bigint() - first) / 1e9;
      print({ event: 'received', bytes, seconds });
      server.close();
      socket.end();
    });
  });
  server.listen(options.port || 0, options.host, () => print({ event: 'listening', port: server.address().port }));
} else if (mode === 'send') {
  const socket = net.connect({ host: options.host, port: options.port }, () => {
    const block = Buffer.alloc(64 * 1024, 0x5a);
    let left = Number(options.bytes);
    const pump = () => {
      while (left > 0) {
        const chunk = left >= block.length ? block : block.subarray(0, left);
        left -= chunk.length;
        if (!socket.write(chunk)) return socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
  socket.on('close', (hadError) => process.exit(hadError ? 1 : 0));
  socket.on('error', (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write(`mode must be send or receive, not ${mode}\n`);
  process.exit(2);
}
