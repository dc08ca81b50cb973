import { Worker } from 'node:worker_threads';
import type { Dataset } from './datasets';
import { totalBytes } from './datasets';

/** GB/s of this machine's SHA-1 and SHA-256 (Node's OpenSSL, as every tool here uses the CPU's SHA extensions), all threads together. */
export interface HashRates {
  readonly threads: number;
  readonly sha1: number;
  readonly sha256: number;
}

/**
 * Each thread hashes for `seconds`: SHA-1 in 64 KiB updates (how v1 pieces are fed), SHA-256 one 16 KiB
 * block per call (the v2 merkle leaves). Plain JavaScript for `eval`, so it runs the same from dist/.
 */
const RATE_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const { algorithm, seconds } = workerData;
const block = Buffer.alloc(algorithm === 'sha1' ? 65536 : 16384, 0x5a);
const hash = crypto.createHash('sha1');
let bytes = 0;
const started = performance.now();
while (performance.now() - started < seconds * 1000) {
  for (let i = 0; i < 64; i++) {
    if (algorithm === 'sha1') hash.update(block);
    else if (typeof crypto.hash === 'function') crypto.hash('sha256', block, 'buffer');
    else crypto.createHash('sha256').update(block).digest();
  }
  bytes += 64 * block.length;
}
parentPort.postMessage(bytes / ((performance.now() - started) / 1000) / 1e9);
`;

function threadRate(algorithm: 'sha1' | 'sha256', seconds: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(RATE_SOURCE, { eval: true, workerData: { algorithm, seconds } });
    worker.once('message', (rate: number) => void worker.terminate().then(() => resolve(rate)));
    worker.once('error', reject);
  });
}

/** `threads` threads hashing at once, each for `seconds`; the sum of their rates. */
export async function measureHashRates(threads: number, seconds = 1): Promise<HashRates> {
  const together = async (algorithm: 'sha1' | 'sha256'): Promise<number> => (await Promise.all(Array.from({ length: threads }, () => threadRate(algorithm, seconds)))).reduce((sum, rate) => sum + rate, 0);
  return { threads, sha1: await together('sha1'), sha256: await together('sha256') };
}

/**
 * Seconds the hashing alone needs at these rates: no reads, no start-up, perfect use of every thread.
 * v1 hashes the files' bytes with SHA-1; v2 with SHA-256; a hybrid both, its SHA-1 also over the pad files
 * that align each file of a multi-file torrent to a piece (libtorrent's layout, ours too).
 */
export function hashFloorSeconds(dataset: Dataset, version: string, rates: HashRates): number {
  const bytes = totalBytes(dataset);
  const single = dataset.files.length === 1;
  const padded = single ? bytes : dataset.files.reduce((sum, file) => sum + Math.ceil(file.size / dataset.pieceLength) * dataset.pieceLength, 0);
  if (version === 'v1') return bytes / 1e9 / rates.sha1;
  if (version === 'v2') return bytes / 1e9 / rates.sha256;
  return padded / 1e9 / rates.sha1 + bytes / 1e9 / rates.sha256;
}

/** The faster of two measurements of each algorithm (one before the runs, one after): the lower floor. */
export function bestRates(a: HashRates, b: HashRates): HashRates {
  return { threads: a.threads, sha1: Math.max(a.sha1, b.sha1), sha256: Math.max(a.sha256, b.sha256) };
}
