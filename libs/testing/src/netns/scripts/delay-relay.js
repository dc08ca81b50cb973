'use strict';
// A TCP relay that adds a fixed one-way delay to every chunk in both directions (netem is not available
// in this kernel). Run inside a network namespace by TestNetwork.startRelay:
//   node delay-relay.js '{"listenHost","listenPort","targetHost","targetPort","delayMs"}'
// Prints {"event":"listening","port":N} once bound, and a {"event":"bytes",...} line on stdin EOF / SIGTERM.
const net = require('node:net');

const options = JSON.parse(process.argv[2]);
const delayMs = Number(options.delayMs) || 0;
// Bounded memory: a side that has this much in flight stops being read until the other drains.
const highWaterBytes = 4 * 1024 * 1024;
const totals = { toTarget: 0, fromTarget: 0, connections: 0 };

/** Forwards `from` to `to`, each chunk `delayMs` after it arrived, preserving order. */
function pipeDelayed(from, to, count) {
  let inFlight = 0;
  from.on('data', (chunk) => {
    totals[count] += chunk.length;
    inFlight += chunk.length;
    if (inFlight > highWaterBytes) from.pause();
    setTimeout(() => {
      inFlight -= chunk.length;
      if (!to.destroyed) to.write(chunk);
      if (inFlight <= highWaterBytes && from.isPaused()) from.resume();
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
  from.on('close', () => setTimeout(() => to.destroy(), delayMs + 10));
}

const server = net.createServer((client) => {
  totals.connections++;
  client.setNoDelay(true);
  const target = net.connect({ host: options.targetHost, port: options.targetPort });
  target.setNoDelay(true);
  pipeDelayed(client, target, 'toTarget');
  pipeDelayed(target, client, 'fromTarget');
});
server.on('error', (error) => {
  process.stdout.write(`${JSON.stringify({ event: 'error', message: error.message })}\n`);
  process.exit(1);
});
server.listen(options.listenPort || 0, options.listenHost, () => {
  process.stdout.write(`${JSON.stringify({ event: 'listening', port: server.address().port })}\n`);
});
const report = () => {
  process.stdout.write(`${JSON.stringify({ event: 'bytes', ...totals })}\n`);
  process.exit(0);
};
process.stdin.on('end', report);
process.stdin.resume();
process.on('SIGTERM', report);
