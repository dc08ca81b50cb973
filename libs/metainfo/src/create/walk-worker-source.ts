/**
 * The directory walk, plain JavaScript run on a worker thread with `eval: true` (like the hash workers).
 * It uses the synchronous fs calls: on the 10k-file S5 tree a loop of lstatSync takes ~60 ms, while the
 * same lstat calls through libuv's thread pool took ~400 ms of round trips; on a worker thread blocking
 * costs the event loop nothing.
 *
 * Protocol: workerData is { root } (an existing directory). The worker posts { files } with every file as
 * { fullPath, path, length, executable }, or { failure } where failure is { subject, message } for a rule
 * of ours or { code, errno, syscall, path, message } for a system error.
 *
 * Rules (libtorrent add_files): hidden files included, empty directories left out, symlinks followed (into
 * directories too; a dangling one is skipped), devices, FIFOs and sockets skipped. 'x' comes from the
 * owner's execute bit of lstat, so a followed symlink is 'x' (its own mode is 0777), as libtorrent 2.0.8
 * writes it. Names must be valid UTF-8; a symlink back to a directory above it is refused.
 */
export const WALK_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { join } = require('node:path');

class RuleBroken {
  constructor(subject, message) { this.subject = subject; this.message = message; }
}

function walk(directory, below, ancestors, files) {
  for (const rawName of fs.readdirSync(directory, { encoding: 'buffer' })) {
    const name = rawName.toString('utf8');
    const fullPath = join(directory, name);
    if (!Buffer.from(name, 'utf8').equals(rawName)) throw new RuleBroken(fullPath, 'file name is not valid UTF-8');
    const linkStats = fs.lstatSync(fullPath);
    const stats = linkStats.isSymbolicLink() ? fs.statSync(fullPath, { throwIfNoEntry: false }) : linkStats;
    if (stats === undefined) continue;
    if (stats.isFile()) files.push({ fullPath, path: [...below, name], length: stats.size, executable: (linkStats.mode & 0o100) !== 0 });
    if (stats.isDirectory()) {
      const real = fs.realpathSync(fullPath);
      if (ancestors.has(real)) throw new RuleBroken(fullPath, 'symlink loops back to a directory above it');
      walk(fullPath, [...below, name], new Set([...ancestors, real]), files);
    }
  }
}

try {
  const files = [];
  walk(workerData.root, [], new Set([fs.realpathSync(workerData.root)]), files);
  parentPort.postMessage({ files });
} catch (error) {
  const failure = error instanceof RuleBroken
    ? { subject: error.subject, message: error.message }
    : { code: error.code, errno: error.errno, syscall: error.syscall, path: error.path, message: error.message };
  parentPort.postMessage({ failure });
}
`;
