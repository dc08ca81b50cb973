/**
 * Web-seed download speed on loopback: our WebSeed (1 MiB+ runs from nextRun, 4 requests at once) against
 * a plain node:http GET of the whole file (Node's own ceiling), curl (the same in C) and aria2c (-x4 -s4,
 * 8 MiB splits) from the same streaming HTTP
 * server, alternated in one run and repeated (QUALITY.md: median (min-max), ratio). Ours keeps pieces in
 * memory and drops them (no disk, no hashing); curl writes to /dev/null, aria2c to the page cache. The
 * server is a child process, so each side has its own event loop.
 * Scratch benchmark of the webseed layer; run after a build:
 *   node <dist>/libs/engine/src/webseed/bench/web-seed-throughput.js [reps]
 * Environment: SIZE_MIB (default 256), PIECE (bytes, default 256 KiB), RUN_MIB (default 8), CONCURRENCY (4).
 */
import { execFile, fork } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTorrentFromPath, type Metainfo, parseTorrent } from '@seedfleet/metainfo';
import { createTempDir, writeDeterministicFile } from '@seedfleet/testing';
import { nextRun, WebSeed } from '../index';

const MiB = 1 << 20;
const sizeMiB = Number(process.env.SIZE_MIB ?? 256);
const pieceLength = Number(process.env.PIECE ?? 256 * 1024);
const runBytes = Number(process.env.RUN_MIB ?? 8) * MiB;
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const reps = Number(process.argv[2] === 'serve' ? 0 : (process.argv[2] ?? 3));

/** Streams files below `root` with single-range support, as nginx or S3 would; sizes of ranges served go to `onRequest`. */
function rangeServer(root: string, onRequest: (bytes: number) => void): Server {
  return createServer((req, res) => {
    const path = join(root, decodeURIComponent((req.url ?? '/').split('?')[0]));
    stat(path).then(
      ({ size }) => {
        const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
        const start = match ? Number(match[1]) : 0;
        const end = match ? Math.min(Number(match[2]), size - 1) : size - 1;
        onRequest(end - start + 1);
        res.writeHead(match ? 206 : 200, { 'content-length': end - start + 1, ...(match ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) });
        createReadStream(path, { start, end, highWaterMark: 256 * 1024 }).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
}

/**
 * The server runs in a child process, so every client (ours in this process, curl and aria2c in theirs)
 * has a core of its own, as against a real origin. It reports its port, then each range size it serves.
 */
function startServerProcess(root: string): Promise<{ url: string; requests: number[]; stop(): void }> {
  const child = fork(__filename, ['serve', root], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const requests: number[] = [];
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { port?: number; bytes?: number }) => {
      if (message.bytes !== undefined) requests.push(message.bytes);
      if (message.port !== undefined) resolve({ url: `http://127.0.0.1:${message.port}/`, requests, stop: () => child.kill() });
    });
  });
}

function serve(root: string): void {
  const server = rangeServer(root, (bytes) => process.send?.({ bytes }));
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

async function ours(metainfo: Metainfo, url: string): Promise<number> {
  const seed = new WebSeed(metainfo, url, { maxConcurrentRequests: concurrency, maxBytesInFlight: concurrency * runBytes });
  const have = new Uint8Array(metainfo.pieceCount);
  const claimed = new Uint8Array(metainfo.pieceCount);
  let left = metainfo.pieceCount;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const fill = () => {
      for (;;) {
        const run = nextRun(metainfo, (i) => !have[i] && !claimed[i], { maxRunBytes: Math.min(runBytes, Math.max(seed.freeBytes, pieceLength)) });
        if (!run || !seed.canFetch(run.bytes)) return;
        claimed.fill(1, run.first, run.end);
        void seed.fetch({ first: run.first, end: run.end, onPiece: (index) => (have[index] = 1, left--) }).then((result) => {
          if (result.error) reject(result.error);
          else if (left === 0) resolve();
          else fill();
        });
      }
    };
    fill();
  });
  const seconds = (performance.now() - started) / 1000;
  seed.close();
  return seconds;
}

/** Seconds a plain node:http GET of the whole file takes, body dropped: what Node's HTTP stack can do here. */
function nodeGet(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.on('data', () => undefined);
      res.once('end', () => resolve((performance.now() - started) / 1000));
      res.once('error', reject);
    }).once('error', reject);
  });
}

/** Seconds a reference client takes; asynchronous, since the server runs on this process's event loop. */
async function timedTool(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  await promisify(execFile)(command, args);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const format = (values: number[]) => `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})`;

async function main(): Promise<void> {
  const dir = await createTempDir('seedfleet-webseed-bench-');
  try {
    const file = join(dir.path, 'payload.bin');
    await writeDeterministicFile(file, sizeMiB * MiB, 'webseed-bench');
    const metainfo = parseTorrent((await createTorrentFromPath(file, { version: 'v1', pieceLength })).torrent);
    const { url, requests, stop } = await startServerProcess(dir.path);
    const rates: Record<'ours' | 'node GET' | 'curl' | 'aria2c', number[]> = { ours: [], 'node GET': [], curl: [], aria2c: [] };
    const download = join(dir.path, 'aria2');
    let ourRequests: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const before = requests.length;
      rates.ours.push(sizeMiB / (await ours(metainfo, url)));
      ourRequests = requests.slice(before);
      rates['node GET'].push(sizeMiB / (await nodeGet(`${url}payload.bin`)));
      rates.curl.push(sizeMiB / (await timedTool('curl', ['-sf', '-o', '/dev/null', `${url}payload.bin`])));
      const aria2 = ['-q', '-x4', '-s4', '-k8M', '--file-allocation=none', '--allow-overwrite=true', '-d', download, `${url}payload.bin`];
      rates.aria2c.push(sizeMiB / (await timedTool('aria2c', aria2)));
      await rm(download, { recursive: true, force: true });
    }
    stop();
    const average = ourRequests.reduce((a, b) => a + b, 0) / ourRequests.length;
    console.log(`| ${sizeMiB} MiB, ${pieceLength / 1024} KiB pieces, ${reps} reps | MiB/s median (min-max) | ratio ours/x |`);
    console.log('|---|---|---|');
    for (const name of ['ours', 'node GET', 'curl', 'aria2c'] as const) {
      console.log(`| ${name} | ${format(rates[name])} | ${name === 'ours' ? '' : (median(rates.ours) / median(rates[name])).toFixed(2)} |`);
    }
    console.log(`\nours: ${ourRequests.length} range requests, average ${(average / MiB).toFixed(2)} MiB, ${concurrency} at once`);
  } finally {
    await dir.remove();
  }
}

if (process.argv[2] === 'serve') {
  serve(process.argv[3]);
} else {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
