/**
 * The worker body, plain JavaScript run with `eval: true`: worker_threads cannot load TypeScript, and a
 * string works the same under jest (SWC) and in the compiled dist, with no build step to copy a .js file.
 * It repeats the small merkle fold of libs/metainfo/src/v2/merkle.ts because a worker cannot import TS.
 *
 * Protocol: the pool posts { id, kind, data, length, pieceLength, v2Length, width, fill }. With `data` (an ArrayBuffer,
 * transferred) the worker hashes it and answers { id, data, sha1?, blocks?, root? }, transferring `data`
 * back so its owner can reuse it. With `fill` it reads the file ranges itself, synchronously (blocking this
 * thread is the point: it has nothing else to do), 64 KiB at a time into one scratch buffer that stays in
 * the CPU cache while it is hashed, and answers the same without data, or { id, readFailure }. A batch
 * { id, kind: 'batch', jobs } of fill jobs is answered { id, packed }: each job's SHA-1 digests and root, back
 * to back in job order, in one ArrayBuffer (no block hashes).
 * A message it cannot understand is a pool bug: it throws, the thread dies, the pool replaces it.
 */
export const WORKER_SOURCE = `
'use strict';
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');

const BLOCK_SIZE = 16384;
// Copies from the page cache into a buffer this small cost ~4x less kernel time than into 4 MiB pieces.
const CHUNK = 4 * BLOCK_SIZE;
const scratch = Buffer.allocUnsafe(CHUNK);
const probe = Buffer.alloc(1);
const digest = typeof crypto.hash === 'function'
  ? (algorithm, bytes) => crypto.hash(algorithm, bytes, 'buffer')
  : (algorithm, bytes) => crypto.createHash(algorithm).update(bytes).digest();
// A digest written straight into out at offset. Taken as a latin1 string and copied in, it costs ~1 us
// less per call than a Buffer digest (node normalises the 'buffer' encoding the slow way, then allocates
// and copies a Buffer): a hybrid of 4 GiB in 4 MiB pieces makes 520k SHA-256 calls (blocks and pairs).
const digestInto = typeof crypto.hash === 'function'
  ? (algorithm, bytes, out, offset) => out.write(crypto.hash(algorithm, bytes, 'latin1'), offset, 'latin1')
  : (algorithm, bytes, out, offset) => crypto.createHash(algorithm).update(bytes).digest().copy(out, offset);

const padHashes = [Buffer.alloc(32)];
function padHash(level) {
  while (padHashes.length <= level) {
    const below = padHashes[padHashes.length - 1];
    padHashes.push(digest('sha256', Buffer.concat([below, below])));
  }
  return padHashes[level];
}

// SHA-256 of each 16 KiB block of bytes into out (32 bytes each), starting at block firstBlock.
function hashBlocks(bytes, out, firstBlock) {
  for (let i = 0; i * BLOCK_SIZE < bytes.length; i++) {
    digestInto('sha256', bytes.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE), out, (firstBlock + i) * 32);
  }
}

// The root over the block hashes in out, padded with zero hashes to width leaves.
// Each layer is one contiguous buffer, so a pair is hashed straight from a 64-byte slice of it.
function merkleRoot(out, width) {
  let count = out.length / 32;
  if (count === 0) return padHash(Math.log2(width));
  let layer = out;
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
      digestInto('sha256', pair, parents, 32 * i);
    }
    layer = parents;
    count = parents.length / 32;
  }
  return Buffer.from(layer.subarray(0, 32));
}

// Thrown by FileReader only; carries the reply's readFailure.
class ReadFailure {
  constructor(failure) { this.failure = failure; }
}

// The job's fill ranges as a stream of bytes: each range's file is opened once, zeros fill the gaps.
class FileReader {
  constructor(ranges) {
    this.ranges = ranges;
    this.next = 0;
    this.fd = undefined;
  }

  // Fills into[0, end - offset) with the job's bytes [offset, end).
  read(into, offset, end) {
    let filled = offset;
    while (filled < end) {
      const range = this.ranges[this.next];
      const start = range === undefined ? end : Math.min(Math.max(range.at, filled), end);
      // Ranges of consecutive files leave no gap: a Buffer.fill call per file cost ~1 us for nothing.
      if (start > filled) into.fill(0, filled - offset, start - offset);
      filled = start;
      if (filled === end) return;
      const rangeEnd = Math.min(range.at + range.length, end);
      this.readFile(range, into, filled - offset, rangeEnd - filled, range.position + (filled - range.at));
      filled = rangeEnd;
      if (filled === range.at + range.length) this.finish();
    }
  }

  // When the range ends its file and the buffer has room, the read asks for one byte more: getting it
  // means the file grew, and not getting it proves the end without a separate probe read. The extra byte
  // lands where the next range's bytes (or zeros) are written afterwards.
  readFile(range, into, at, length, position) {
    try {
      if (this.fd === undefined) this.fd = fs.openSync(range.path, 'r');
      const endsFile = range.fileLength !== undefined && position + length === range.fileLength;
      const ask = endsFile && at + length < into.length ? length + 1 : length;
      let done = 0;
      while (done < length) {
        const read = fs.readSync(this.fd, into, at + done, ask - done, position + done);
        if (read === 0) throw new ReadFailure({ path: range.path, reason: 'shorter', message: 'ended after ' + (position + done) + ' bytes' });
        done += read;
      }
      if (done > length) throw this.longer(range);
      if (endsFile && ask === length && fs.readSync(this.fd, probe, 0, 1, range.fileLength) > 0) throw this.longer(range);
    } catch (error) {
      throw this.failure(range, error);
    }
  }

  longer(range) {
    return new ReadFailure({ path: range.path, reason: 'longer', message: 'is longer than ' + range.fileLength + ' bytes' });
  }

  // After a range's last byte: close its file, go on with the next range.
  finish() {
    this.close();
    this.next++;
  }

  failure(range, error) {
    if (error instanceof ReadFailure) return error;
    return new ReadFailure({ path: range.path, reason: 'unreadable', code: error.code, message: error.message });
  }

  close() {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

// SHA-1 of each pieceLength run of the bytes fed in (one over all when pieceLength is 0), back to back.
class PieceDigests {
  constructor(pieceLength, length) {
    this.pieceLength = pieceLength || length;
    this.hash = crypto.createHash('sha1');
    this.inPiece = 0;
    this.digests = [];
  }

  update(bytes) {
    for (let used = 0; used < bytes.length; ) {
      const take = Math.min(bytes.length - used, this.pieceLength - this.inPiece);
      this.hash.update(bytes.subarray(used, used + take));
      used += take;
      this.inPiece += take;
      if (this.inPiece === this.pieceLength) this.next();
    }
  }

  // All digests; the last piece may be short (or the whole input empty).
  end() {
    if (this.inPiece > 0 || this.digests.length === 0) this.next();
    return Buffer.concat(this.digests);
  }

  next() {
    this.digests.push(this.hash.digest());
    this.hash = crypto.createHash('sha1');
    this.inPiece = 0;
  }
}

// Zeros after a job's last file range (a hybrid file's pad) go into SHA-1 straight from here: filling
// and hashing them chunk by chunk cost a memset and four calls per 256 KiB piece of a small file.
let zeros;
function zeroBytes() {
  zeros ??= Buffer.alloc(16 * CHUNK);
  return zeros;
}

// Hashes the job's bytes chunk by chunk: SHA-1 over all of them, v2 blocks over the first v2Length.
function hashFill(job, reply) {
  const sha1 = job.kind === 'v2' ? undefined : new PieceDigests(job.pieceLength, job.length);
  const v2Length = job.kind === 'sha1' ? 0 : job.v2Length;
  const blocks = job.kind === 'sha1' ? undefined : Buffer.alloc(Math.ceil(v2Length / BLOCK_SIZE) * 32);
  const ranges = job.fill.filter((range) => range.length > 0);
  const last = ranges[ranges.length - 1];
  // Past this, the job is zeros that no v2 block covers.
  const readEnd = Math.max(last === undefined ? 0 : last.at + last.length, v2Length);
  const reader = new FileReader(ranges);
  try {
    for (let offset = 0; offset < readEnd; offset += CHUNK) {
      const end = Math.min(offset + CHUNK, readEnd);
      reader.read(scratch, offset, end);
      if (sha1 !== undefined) sha1.update(scratch.subarray(0, end - offset));
      if (offset < v2Length) hashBlocks(scratch.subarray(0, Math.min(end, v2Length) - offset), blocks, offset / BLOCK_SIZE);
    }
  } finally {
    reader.close();
  }
  if (sha1 !== undefined) {
    for (let offset = readEnd; offset < job.length; offset += zeroBytes().length) sha1.update(zeroBytes().subarray(0, Math.min(zeroBytes().length, job.length - offset)));
    reply.sha1 = sha1.end();
  }
  if (blocks !== undefined) reply.blocks = blocks;
}

function hashData(job, reply) {
  const bytes = Buffer.from(job.data);
  if (job.kind === 'sha1' && job.pieceLength > 0) {
    const digests = new PieceDigests(job.pieceLength, bytes.length);
    digests.update(bytes);
    reply.sha1 = digests.end();
  } else if (job.kind !== 'v2') {
    reply.sha1 = digest('sha1', bytes);
  }
  if (job.kind !== 'sha1') {
    const v2Bytes = bytes.subarray(0, job.v2Length);
    reply.blocks = Buffer.alloc(Math.ceil(v2Bytes.length / BLOCK_SIZE) * 32);
    hashBlocks(v2Bytes, reply.blocks, 0);
  }
}

// The hashes as exact-size ArrayBuffers, transferred: cloning a Buffer's view would copy the whole 8 KiB
// pool slab it may live in.
function hashesOf(job, hashed, transfer) {
  const hashes = {};
  const own = (bytes) => {
    const copy = new Uint8Array(bytes.length);
    copy.set(bytes);
    transfer.push(copy.buffer);
    return copy;
  };
  if (hashed.sha1 !== undefined) hashes.sha1 = own(hashed.sha1);
  if (hashed.blocks !== undefined) {
    hashes.root = own(merkleRoot(hashed.blocks, job.width));
    hashes.blocks = hashed.blocks.buffer;
    transfer.push(hashed.blocks.buffer);
  }
  return hashes;
}

function hashOne(job, transfer) {
  const hashed = {};
  if (job.fill !== undefined) hashFill(job, hashed);
  else hashData(job, hashed);
  return hashesOf(job, hashed, transfer);
}

// A batch's hashes packed into one transferred buffer, job by job: its SHA-1 digests, then its root.
// Block hashes are left out: a batch of small files would otherwise transfer two or three buffers per
// file, and those transfers cost more than hashing the files.
function hashBatch(jobs, transfer) {
  const parts = [];
  let length = 0;
  for (const job of jobs) {
    const hashed = {};
    hashFill(job, hashed);
    if (hashed.sha1 !== undefined) parts.push(hashed.sha1);
    if (hashed.blocks !== undefined) parts.push(merkleRoot(hashed.blocks, job.width));
  }
  for (const part of parts) length += part.length;
  const packed = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    packed.set(part, at);
    at += part.length;
  }
  transfer.push(packed.buffer);
  return { packed: packed.buffer };
}

parentPort.on('message', (job) => {
  if (job.kind !== 'sha1' && job.kind !== 'v2' && job.kind !== 'hybrid' && job.kind !== 'batch') {
    throw new Error('unknown hash job kind: ' + String(job.kind));
  }
  const transfer = job.data === undefined ? [] : [job.data];
  let reply;
  try {
    if (job.kind === 'batch') reply = hashBatch(job.jobs, transfer);
    else reply = hashOne(job, transfer);
  } catch (error) {
    if (!(error instanceof ReadFailure)) throw error;
    parentPort.postMessage({ id: job.id, data: job.data, readFailure: error.failure }, job.data === undefined ? [] : [job.data]);
    return;
  }
  reply.id = job.id;
  reply.data = job.data;
  parentPort.postMessage(reply, transfer);
});
`;
