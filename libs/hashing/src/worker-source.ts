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
function merkleBlocks(bytes, width, out) {
  const count = Math.ceil(bytes.length / BLOCK_SIZE);
  let layer = [];
  for (let i = 0; i < count; i++) {
    const leaf = digest('sha256', bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE));
    leaf.copy(out, i * 32);
    layer.push(leaf);
  }
  const pair = Buffer.allocUnsafe(64);
  for (let level = 0; (1 << level) < width; level++) {
    const parents = [];
    for (let i = 0; i < layer.length; i += 2) {
      layer[i].copy(pair, 0);
      (i + 1 < layer.length ? layer[i + 1] : padHash(level)).copy(pair, 32);
      parents.push(digest('sha256', pair));
    }
    layer = parents.length > 0 ? parents : [padHash(level + 1)];
  }
  return layer.length > 0 ? layer[0] : padHash(0);
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
