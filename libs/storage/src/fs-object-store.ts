import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rmdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { resolveRange } from './byte-range';
import { errnoOf, fsStorageError } from './fs-errors';
import { isValidKey, validateKey, validatePrefix } from './keys';
import { StorageError, type ByteRange, type GetResult, type ObjectInfo, type ObjectStore, type PutOptions, type PutResult } from './object-store';
import { abortedError, checkPutOptions, meterBody } from './put-meter';

export interface FsObjectStoreOptions {
  /** The directory holding the objects; created on the first put. */
  readonly root: string;
}

/**
 * Temp files of puts in progress live here, inside the root so the final rename never crosses file
 * systems. Keys whose first segment is this name are refused; list never shows it.
 */
export const FS_INCOMING_DIR = '.incoming';

/** Temp files older than this are left over from a crash and removed when the store first writes. */
const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** A put's rename can race a delete pruning the (then empty) target directory; it recreates it this often. */
const RENAME_ATTEMPTS = 3;

/**
 * The local-directory adapter (the embedded default): one file per key under `root`, written to a temp
 * file, fsynced and renamed over the target, so readers see the old object or the new one.
 */
export class FsObjectStore implements ObjectStore {
  readonly root: string;
  private staleSweep?: Promise<void>;

  constructor(options: FsObjectStoreOptions) {
    if (typeof options.root !== 'string' || options.root === '') throw new StorageError('io', 'FsObjectStore needs a root directory');
    this.root = resolve(options.root);
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<PutResult> {
    this.checkKey(key);
    checkPutOptions(key, options);
    const metered = meterBody(key, body, options);
    const incoming = join(this.root, FS_INCOMING_DIR);
    const tempPath = join(incoming, `${randomUUID()}.part`);
    let handle: FileHandle | undefined;
    try {
      await ensureDirectory(incoming);
      this.staleSweep ??= this.removeStaleTemps(incoming);
      handle = await open(tempPath, 'wx', 0o644);
      const file = handle;
      await pipeline(metered.meter, (chunks: AsyncIterable<Buffer>) => writeAll(file, chunks));
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (options.signal?.aborted) throw abortedError(key, options.signal);
      await this.moveIntoPlace(tempPath, key);
      metered.release(false);
      return { key, size: metered.meter.byteCount, sha256: metered.meter.sha256 };
    } catch (error) {
      metered.release(true);
      await handle?.close().catch(() => undefined);
      await unlink(tempPath).catch(() => undefined);
      throw fsStorageError(metered.failure() ?? error, 'put', key);
    }
  }

  async get(key: string, range?: ByteRange): Promise<GetResult> {
    this.checkKey(key);
    let handle: FileHandle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) throw notFound(key);
      throw fsStorageError(error, 'get', key);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw notFound(key);
      const returned = resolveRange(key, range, info.size);
      if (returned.end < returned.start) {
        await handle.close();
        return { body: Readable.from([]), size: info.size, range: returned };
      }
      // The open handle keeps reading the file it opened even if a put renames a new one over it.
      const body = handle.createReadStream({ start: returned.start, end: returned.end, autoClose: true });
      return { body, size: info.size, range: returned };
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw fsStorageError(error, 'get', key);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.checkKey(key);
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { key, size: info.size, lastModified: new Date(info.mtimeMs) } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw fsStorageError(error, 'head', key);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const startDir = slash < 0 ? '' : prefix.slice(0, slash);
    if (startDir.split('/')[0] === FS_INCOMING_DIR) return;
    yield* this.walk(startDir, prefix);
  }

  async delete(key: string): Promise<void> {
    this.checkKey(key);
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (error) {
      // A missing key, or a "key" that is a directory of other keys, is not an object: nothing to delete.
      if (isMissing(error) || errnoOf(error) === 'EISDIR') return;
      throw fsStorageError(error, 'delete', key);
    }
    await this.pruneEmptyParents(dirname(path));
  }

  async presignGet(key: string): Promise<string | undefined> {
    this.checkKey(key);
    return undefined;
  }

  describe(): string {
    return `fs:${this.root}`;
  }

  async close(): Promise<void> {
    await this.staleSweep;
  }

  private checkKey(key: string): void {
    validateKey(key);
    if (key.split('/')[0] === FS_INCOMING_DIR) {
      throw new StorageError('bad-key', `invalid object key ${JSON.stringify(key)}: ${FS_INCOMING_DIR}/ is reserved by the local store`, key);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private async moveIntoPlace(tempPath: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(dirname(target), { recursive: true });
        await rename(tempPath, target);
        await syncDirectory(dirname(target));
        return;
      } catch (error) {
        const errno = errnoOf(error);
        if (errno === 'ENOTDIR' || errno === 'EEXIST') {
          throw new StorageError('bad-key', `cannot store ${key}: one of its parent paths is an object (the local store cannot hold both a key and keys under it)`, key, { cause: error });
        }
        if (errno === 'EISDIR' || errno === 'ENOTEMPTY') {
          throw new StorageError('bad-key', `cannot store ${key}: other keys live under ${key}/ (the local store cannot hold both a key and keys under it)`, key, { cause: error });
        }
        if (errno !== 'ENOENT' || attempt >= RENAME_ATTEMPTS) throw error;
      }
    }
  }

  /** Removes directories a delete left empty, up to (never including) the root; stops at the first non-empty one. */
  private async pruneEmptyParents(dir: string): Promise<void> {
    for (let current = dir; current !== this.root && current.startsWith(this.root); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  private async *walk(dirKey: string, prefix: string): AsyncGenerator<ObjectInfo> {
    let entries;
    try {
      entries = await readdir(dirKey === '' ? this.root : this.pathOf(dirKey), { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw fsStorageError(error, 'list', prefix === '' ? '(all keys)' : prefix);
    }
    // Keys sort bytewise, and every key below directory `d` starts with `d/`, so ordering directories
    // by `name/` and files by `name` makes a depth-first walk produce keys in bytewise order.
    const ordered = entries
      .filter((entry) => (entry.isDirectory() || entry.isFile()) && !(dirKey === '' && entry.name === FS_INCOMING_DIR))
      .map((entry) => ({ entry, sortKey: Buffer.from(entry.isDirectory() ? `${entry.name}/` : entry.name) }))
      .sort((a, b) => Buffer.compare(a.sortKey, b.sortKey));
    for (const { entry } of ordered) {
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      if (entry.isDirectory()) {
        const asPrefix = `${key}/`;
        if (asPrefix.startsWith(prefix) || prefix.startsWith(asPrefix)) yield* this.walk(key, prefix);
        continue;
      }
      if (!key.startsWith(prefix) || !isValidKey(key)) continue;
      const info = await this.head(key).catch(() => undefined);
      if (info) yield info;
    }
  }

  private async removeStaleTemps(incoming: string): Promise<void> {
    const names = await readdir(incoming).catch(() => [] as string[]);
    const cutoff = Date.now() - STALE_TEMP_MS;
    for (const name of names) {
      const path = join(incoming, name);
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && info.mtimeMs < cutoff) await unlink(path).catch(() => undefined);
    }
  }
}

function isMissing(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === 'ENOENT' || errno === 'ENOTDIR';
}

function notFound(key: string): StorageError {
  return new StorageError('not-found', `object ${key} does not exist`, key);
}


/**
 * mkdir -p, except that a failure to create the last directory reports its own errno: Node's recursive
 * mkdir turns EROFS and EACCES there into a misleading ENOENT.
 */
async function ensureDirectory(path: string): Promise<void> {
  try {
    await mkdir(path);
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return;
    if (errnoOf(error) !== 'ENOENT') throw error;
    await mkdir(dirname(path), { recursive: true });
    await mkdir(path).catch((again: unknown) => {
      if (errnoOf(again) !== 'EEXIST') throw again;
    });
  }
}

async function writeAll(file: FileHandle, chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) await file.write(chunk);
}

/** Makes a rename durable: without fsync on the directory a crash can lose the new entry. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on directories; the data itself is already synced.
  } finally {
    await handle.close();
  }
}
