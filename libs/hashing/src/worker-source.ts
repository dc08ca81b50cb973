/**
 * The worker body, plain JavaScript run with `eval: true`: worker_threads cannot load TypeScript, and a
 * string works the same under jest (SWC) and in the compiled dist, with no build step to copy a .js file.
 * It repeats the small merkle fold of libs/metainfo/src/v2/merkle.ts because a worker cannot import TS.
 *
 * Protocol: the pool posts { id, kind, data, v2Length, width } with `data` (an ArrayBuffer) transferred;
 * the worker answers { id, data, sha1?, blocks?, root? }, transferring `data` back so its owner can reuse
 * it. A message it cannot understand is a pool bug: it throws, the thread dies, the pool replaces it.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');

const BLOCK_SIZE = 16384;
const digest = typeof crypto.hash === 'function'
  ? (algorithm, bytes) => crypto.hash(algorithm, bytes, 'buffer')
  : (algorithm, bytes) => crypto.createHash(algorithm).update(bytes).digest();

const padHashes = [Buffer.alloc(32)];
function padHash(level) {
  while (padHashes.length <= level) {
    const below = padHashes[padHashes.length - 1];
    padHashes.push(digest('sha256', Buffer.concat([below, below])));
  }
  return padHashes[level];
}

// Block hashes into out (32 bytes each), then the root of those leaves padded with zero hashes to width.
// Each layer is one contiguous buffer, so a pair is hashed straight from a 64-byte slice of it.
function merkleBlocks(bytes, width, out) {
  let count = Math.ceil(bytes.length / BLOCK_SIZE);
  for (let i = 0; i < count; i++) {
    digest('sha256', bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)).copy(out, i * 32);
  }
  if (count === 0) return padHash(Math.log2(width));
  let layer = out.subarray(0, count * 32);
  const lonely = Buffer.allocUnsafe(64);
  for (let level = 0; (1 << level) < width; level++) {
    const parents = Buffer.allocUnsafe(Math.ceil(count / 2) * 32);
    for (let i = 0; 2 * i < count; i++) {
      let pair = layer.subarray(64 * i, 64 * i + 64);
      if (2 * i + 1 === count) {
        pair.copy(lonely, 0, 0, 32);
        padHash(level).copy(lonely, 32);
        pair = lonely;
      }
      digest('sha256', pair).copy(parents, 32 * i);
    }
    layer = parents;
    count = parents.length / 32;
  }
  return Buffer.from(layer.subarray(0, 32));
}

parentPort.on('message', (job) => {
  const bytes = Buffer.from(job.data);
  const reply = { id: job.id, data: job.data };
  const transfer = [job.data];
  if (job.kind === 'sha1' || job.kind === 'hybrid') {
    reply.sha1 = digest('sha1', bytes);
  }
  if (job.kind === 'v2' || job.kind === 'hybrid') {
    const v2Bytes = bytes.subarray(0, job.v2Length);
    const blocks = Buffer.alloc(Math.ceil(v2Bytes.length / BLOCK_SIZE) * 32);
    reply.root = merkleBlocks(v2Bytes, job.width, blocks);
    reply.blocks = blocks.buffer;
    transfer.push(blocks.buffer);
  }
  if (reply.sha1 === undefined && reply.root === undefined) {
    throw new Error('unknown hash job kind: ' + String(job.kind));
  }
  parentPort.postMessage(reply, transfer);
});
`;
