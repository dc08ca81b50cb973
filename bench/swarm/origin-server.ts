import { createReadStream, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join, normalize } from 'node:path';
import { createInterface } from 'node:readline';

// The S3 stand-in of bench/swarm: serves a directory over HTTP with single Range requests (206, 416, HEAD),
// counting what it sends. Runs inside the origin's namespace, so its upload is shaped like the origin's.
//   node origin-server.js '{"host","port","root"}'
// stdout: {"event":"listening","port"}; stdin "stats" -> {"event":"stats",...}; stdin EOF -> exits.

interface Stats {
  requests: number;
  rangeRequests: number;
  /** Payload bytes written to sockets (a response cut short counts what was sent). */
  bytesServed: number;
  /** Bytes asked for by Range requests (their sizes' sum). */
  rangeBytesAsked: number;
  errors: number;
  /** [Date.now(), bytes asked] of the first range requests: when the web seed was used, and how much. */
  rangeLog: [number, number][];
}

const rangeLogLimit = 5000;
const stats: Stats = { requests: 0, rangeRequests: 0, bytesServed: 0, rangeBytesAsked: 0, errors: 0, rangeLog: [] };
const options = JSON.parse(process.argv[2] ?? '{}') as { host: string; port: number; root: string };
const print = (event: object): boolean => process.stdout.write(`${JSON.stringify(event)}\n`);

function fail(response: ServerResponse, status: number, message: string): void {
  stats.errors++;
  response.writeHead(status, { 'content-type': 'text/plain' }).end(`${message}\n`);
}

/** "bytes=a-b", "bytes=a-", "bytes=-n" against a size; undefined = unsatisfiable or unsupported. */
function parseRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  return start <= end && start < size ? { start, end } : undefined;
}

const server = createServer((request, response) => {
  stats.requests++;
  const path = normalize(decodeURIComponent((request.url ?? '/').split('?')[0]));
  if (path.includes('..')) return fail(response, 400, 'bad path');
  const file = join(options.root, path);
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return fail(response, 404, 'not a file');
    size = stat.size;
  } catch {
    return fail(response, 404, 'not found');
  }
  let start = 0;
  let end = size - 1;
  const rangeHeader = request.headers.range;
  if (rangeHeader) {
    const range = parseRange(rangeHeader, size);
    if (!range) {
      stats.errors++;
      return void response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
    }
    ({ start, end } = range);
    stats.rangeRequests++;
    stats.rangeBytesAsked += end - start + 1;
    if (stats.rangeLog.length < rangeLogLimit) stats.rangeLog.push([Date.now(), end - start + 1]);
    response.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1, 'accept-ranges': 'bytes' });
  } else {
    response.writeHead(200, { 'content-length': size, 'accept-ranges': 'bytes' });
  }
  if (request.method === 'HEAD' || size === 0) return void response.end();
  const stream = createReadStream(file, { start, end, highWaterMark: 256 * 1024 });
  stream.on('data', (chunk) => (stats.bytesServed += chunk.length));
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
  stream.pipe(response);
});
server.keepAliveTimeout = 60_000;
server.on('error', (error) => {
  print({ event: 'error', message: error.message });
  process.exit(1);
});
server.listen(options.port, options.host, () => {
  const address = server.address();
  print({ event: 'listening', port: typeof address === 'object' && address ? address.port : options.port });
});
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') print({ event: 'stats', ...stats });
});
lines.on('close', () => process.exit(0));
