import { isUtf8 } from 'node:buffer';
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { textKey } from '@seedfleet/bencode';
import type { TorrentVersion } from '../model';
import { CreateTorrentError } from './create-error';
import { localSourceFile, type LocalSourceFile } from './local-source';

/** lstat calls between two turns of the event loop. */
const STATS_PER_TURN = 256;

interface Entry {
  readonly name: string;
  readonly fullPath: string;
  /** Orders siblings so a depth-first walk visits files in torrent order (see orderKey). */
  readonly key: string;
  readonly directory: boolean;
  readonly length: number;
  readonly executable: boolean;
}

/**
 * The files under a directory, in torrent order (orderKey for `version`), a directory's files at a time,
 * so hashing can start while the walk goes on. Each directory's entries are sorted so that a depth-first
 * walk gives exactly that order: for v1 a directory sorts as its name plus '/' (mktorrent compares whole
 * paths, and 'a.txt' < 'a/b' < 'a0'), for v2 and hybrid as its name.
 *
 * Synchronous fs calls, in slices of STATS_PER_TURN with a turn of the event loop between them: 10k lstat
 * calls take ~60 ms this way, ~400 ms through libuv's thread pool, and a walk worker thread cost an isolate
 * to boot (~40 ms) and the file list to be copied back.
 *
 * Rules (libtorrent add_files): hidden files included, empty directories left out, symlinks followed
 * (into directories too; a dangling one is skipped), devices, FIFOs and sockets skipped. 'x' comes from
 * the owner's execute bit of lstat, so a followed symlink is 'x' (its own mode is 0777), as libtorrent
 * 2.0.8 writes it. Names must be valid UTF-8; a symlink back to a directory above it is refused.
 */
export async function* walkDirectory(root: string, version: TorrentVersion, signal?: AbortSignal): AsyncGenerator<LocalSourceFile[]> {
  yield* walk(root, [], new Set([realpathSync.native(root)]), version, signal);
}

async function* walk(directory: string, below: string[], ancestors: ReadonlySet<string>, version: TorrentVersion, signal?: AbortSignal): AsyncGenerator<LocalSourceFile[]> {
  const entries = await list(directory, version, signal);
  let files: LocalSourceFile[] = [];
  for (const entry of entries) {
    if (!entry.directory) {
      files.push(localSourceFile(entry.fullPath, [...below, entry.name], entry.length, entry.executable ? 'x' : ''));
      continue;
    }
    if (files.length > 0) yield files;
    files = [];
    // The native realpath is one system call; the JavaScript one lstats every component of the path.
    const real = realpathSync.native(entry.fullPath);
    if (ancestors.has(real)) throw new CreateTorrentError(entry.fullPath, 'symlink loops back to a directory above it');
    yield* walk(entry.fullPath, [...below, entry.name], new Set([...ancestors, real]), version, signal);
  }
  if (files.length > 0) yield files;
}

/** The directory's files and subdirectories in walk order. */
async function list(directory: string, version: TorrentVersion, signal?: AbortSignal): Promise<Entry[]> {
  const entries: Entry[] = [];
  let stats = 0;
  for (const [name, key] of names(directory)) {
    if (++stats % STATS_PER_TURN === 0) await nextTurn(signal);
    // The directory is an absolute, normalised path and a name holds no separator: join() would only
    // normalise again (~1 us a file).
    const fullPath = directory.endsWith(sep) ? directory + name : directory + sep + name;
    const linkStats = lstatSync(fullPath);
    const target = linkStats.isSymbolicLink() ? statSync(fullPath, { throwIfNoEntry: false }) : linkStats;
    if (target === undefined || !(target.isFile() || target.isDirectory())) continue;
    const isDirectory = target.isDirectory();
    entries.push({ name, fullPath, key: key + (isDirectory && version === 'v1' ? '/' : ''), directory: isDirectory, length: target.size, executable: (linkStats.mode & 0o100) !== 0 });
  }
  await nextTurn(signal);
  return entries.sort((a, b) => (a.key < b.key ? -1 : 1));
}

/**
 * The directory's names, each with its UTF-8 bytes as a latin1 string (its sort key). Read as strings:
 * 10k names as Buffers, each checked with isUtf8 and decoded twice, cost ~30 ms more. Bytes that are not
 * UTF-8 decode to U+FFFD, so only a directory with such a character is read again as bytes to check.
 */
function names(directory: string): [name: string, key: string][] {
  const listed = readdirSync(directory);
  if (listed.some((name) => name.includes('\uFFFD'))) {
    return readdirSync(directory, { encoding: 'buffer' }).map((rawName) => {
      const name = rawName.toString('utf8');
      if (!isUtf8(rawName)) throw new CreateTorrentError(join(directory, name), 'file name is not valid UTF-8');
      return [name, rawName.toString('latin1')];
    });
  }
  return listed.map((name) => [name, textKey(name)]);
}

/** Lets the event loop run (worker replies, timers) and honours an abort. */
async function nextTurn(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  signal?.throwIfAborted();
}
