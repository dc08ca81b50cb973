import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

export type FileAccess = 'read' | 'write';

interface OpenedFile {
  readonly handle: FileHandle;
  readonly writable: boolean;
}

interface CachedHandle {
  readonly path: string;
  readonly opened: Promise<OpenedFile>;
  users: number;
  /** Set when the entry left the cache while in use: the last user closes it. */
  retired: boolean;
}

// Files we may only read (a seeder's read-only data) are opened read-only instead of failing.
const readOnlyFallback = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * Open file handles, opened lazily and kept for reuse, at most `maxOpen` of them idle: a torrent of
 * 10,000 files must not hold 10,000 descriptors. A handle in use is never closed under its user; it is
 * closed when its last user is done if it was pushed out meanwhile.
 */
export class FileHandleCache {
  // Map order is recency order: the first entry is the least recently used.
  private readonly entries = new Map<string, CachedHandle>();
  private readonly closing = new Set<Promise<void>>();

  constructor(private readonly maxOpen: number) {
    if (!Number.isInteger(maxOpen) || maxOpen < 1) throw new RangeError(`maxOpenFiles must be a positive integer, got ${maxOpen}`);
  }

  /** Handles cached now (in use or idle). */
  get openCount(): number {
    return this.entries.size;
  }

  /**
   * Runs `body` with a handle for `path`. 'write' opens read-write and creates the file if it is
   * missing; 'read' opens read-write when allowed (so the handle serves later writes too) and never creates.
   */
  async use<T>(path: string, access: FileAccess, body: (handle: FileHandle) => Promise<T>): Promise<T> {
    let entry = this.acquire(path, access);
    try {
      let opened = await entry.opened;
      if (access === 'write' && !opened.writable) {
        // Cached read-only by an earlier read: this write needs a handle of its own (and will likely fail).
        this.release(entry);
        this.retire(entry);
        entry = this.acquire(path, access);
        opened = await entry.opened;
      }
      return await body(opened.handle);
    } finally {
      this.release(entry);
    }
  }

  /** Closes every handle (those in use once their users finish) and waits for that. */
  async closeAll(): Promise<void> {
    for (const entry of [...this.entries.values()]) this.retire(entry);
    await Promise.all(this.closing);
  }

  private acquire(path: string, access: FileAccess): CachedHandle {
    let entry = this.entries.get(path);
    if (entry) {
      this.entries.delete(path);
    } else {
      const opening = openFile(path, access);
      entry = { path, opened: opening, users: 0, retired: false };
      const created = entry;
      // A failed open must not stay cached: the next use tries again (the file may appear meanwhile).
      opening.catch(() => this.forget(created));
    }
    this.entries.set(path, entry);
    entry.users++;
    return entry;
  }

  private release(entry: CachedHandle): void {
    entry.users--;
    if (entry.retired && entry.users === 0) this.close(entry);
    for (const idle of this.entries.values()) {
      if (this.entries.size <= this.maxOpen) break;
      if (idle.users === 0) this.retire(idle);
    }
  }

  private forget(entry: CachedHandle): void {
    if (this.entries.get(entry.path) === entry) this.entries.delete(entry.path);
  }

  private retire(entry: CachedHandle): void {
    if (entry.retired) return;
    this.forget(entry);
    entry.retired = true;
    if (entry.users === 0) this.close(entry);
  }

  private close(entry: CachedHandle): void {
    // Close errors are not reported: durability comes from flush()'s fsync, not from close().
    const closing = entry.opened.then(({ handle }) => handle.close()).catch(() => undefined);
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}

async function openFile(path: string, access: FileAccess): Promise<OpenedFile> {
  const flags = access === 'write' ? constants.O_RDWR | constants.O_CREAT : constants.O_RDWR;
  try {
    return { handle: await open(path, flags, 0o666), writable: true };
  } catch (error) {
    if (access === 'write' || !readOnlyFallback.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    return { handle: await open(path, constants.O_RDONLY), writable: false };
  }
}
