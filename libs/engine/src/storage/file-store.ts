import { type FileHandle, stat } from 'node:fs/promises';
import { type FileSpan, type Metainfo, pieceRange, pieceSize, pieceSpans } from '@seedfleet/metainfo';
import { ByteBudget } from './byte-budget';
import { type DiskSpace, diskSpace } from './disk-space';
import { type FileAccess, FileHandleCache } from './file-handle-cache';
import { readFully, writeFully } from './file-io';
import { type StoredFile, storedFiles } from './file-paths';
import { toStorageError } from './io-error';
import { type PieceStore, StorageError } from './piece-store';
import { mapLimit } from './map-limit';
import { PARALLEL_FILES, type Preallocation, prepareFiles } from './prepare-files';

export interface FileStoreOptions {
  readonly metainfo: Metainfo;
  /** The download directory: content goes to `directory/<name>` (see storedFiles). */
  readonly directory: string;
  /** 'sparse' (default): files get their full length at open() without allocating blocks. */
  readonly preallocate?: Preallocation;
  /** Idle file handles kept open (default 16). */
  readonly maxOpenFiles?: number;
  /** Piece bytes being written at once; writePiece waits beyond that (default 16 MiB). */
  readonly maxWriteBytes?: number;
}

/** One stored file as it is on disk now: what resume data records to notice later changes. */
export interface FileState {
  readonly fileIndex: number;
  /** Relative to the download directory, '/' separated. */
  readonly path: string;
  readonly exists: boolean;
  /** 0 when missing. */
  readonly size: number;
  /** 0 when missing. */
  readonly mtimeMs: number;
}

/** A store that can say what its files look like; resume data needs it. */
export interface FileStateSource {
  fileStates(): Promise<FileState[]>;
}

/** A store that knows some pieces cannot hold data (regions it created as holes): recheck skips them. */
export interface KnownEmptySource {
  isKnownEmpty(index: number): boolean;
}

/** A store that can read a piece into a caller's buffer, so a recheck can reuse a few buffers. */
export interface ReadIntoSource {
  readPieceInto(index: number, target: Buffer): Promise<Buffer>;
}

type StoreState = 'new' | 'open' | 'closing' | 'closed';

/**
 * PieceStore over the torrent's files on disk. Pieces map to file spans through the metainfo geometry,
 * pad files are never written and read as zeros, v2 (piece-aligned) layouts work the same way.
 * See STATE.md for the open/close life cycle.
 */
export class FileStore implements PieceStore, FileStateSource, KnownEmptySource, ReadIntoSource {
  private readonly metainfo: Metainfo;
  private readonly directory: string;
  private readonly files: (StoredFile | undefined)[];
  private readonly preallocate: Preallocation;
  private readonly handles: FileHandleCache;
  private readonly writeBudget: ByteBudget;
  private readonly reading = new Set<Promise<unknown>>();
  private readonly writing = new Set<Promise<unknown>>();
  private readonly dirty = new Set<StoredFile>();
  /** Per file index: where the zeros open() added begin (no entry: none). */
  private holeStarts = new Map<number, number>();
  private writtenSinceOpen: Uint8Array;
  private state: StoreState = 'new';
  private opening: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: FileStoreOptions) {
    this.metainfo = options.metainfo;
    this.directory = options.directory;
    this.files = storedFiles(options.metainfo, options.directory);
    this.preallocate = options.preallocate ?? 'sparse';
    this.handles = new FileHandleCache(options.maxOpenFiles ?? 16);
    this.writeBudget = new ByteBudget(options.maxWriteBytes ?? 16 * 1024 * 1024);
    this.writtenSinceOpen = new Uint8Array(options.metainfo.pieceCount);
  }

  /** Piece bytes being written now (at most maxWriteBytes, or one oversized piece). */
  get writeBytesInFlight(): number {
    return this.writeBudget.inFlight;
  }

  open(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'closing') return Promise.reject(new StorageError('closed', 'store is closing'));
    this.opening ??= this.prepare().finally(() => (this.opening = undefined));
    return this.opening;
  }

  async writePiece(index: number, data: Buffer): Promise<void> {
    this.checkOpen();
    const size = this.checkRange(index, 0, data.length);
    if (data.length !== size) throw new StorageError('range', `piece ${index} is ${size} bytes, got ${data.length}`);
    return this.track(this.writing, this.write(index, data));
  }

  async readBlock(index: number, begin: number, length: number): Promise<Buffer> {
    this.checkOpen();
    this.checkRange(index, begin, length);
    // An unpooled buffer owns its ArrayBuffer, so the hash pool can take it without a copy.
    return this.track(this.reading, this.read(index, begin, Buffer.allocUnsafeSlow(length)));
  }

  async readPiece(index: number): Promise<Buffer> {
    this.checkOpen();
    return this.readBlock(index, 0, this.checkRange(index, 0, 0));
  }

  /**
   * readPiece into `target` (at least the piece's size); returns the view holding the piece. Recheck
   * reuses its buffers this way: a fresh 1 MiB buffer per piece made the garbage collector run ~140 times
   * per GiB checked, with pauses of tens of milliseconds on the event loop.
   */
  async readPieceInto(index: number, target: Buffer): Promise<Buffer> {
    this.checkOpen();
    const size = this.checkRange(index, 0, 0);
    if (target.length < size) throw new StorageError('range', `piece ${index} is ${size} bytes, the buffer only ${target.length}`);
    return this.track(this.reading, this.read(index, 0, size === target.length ? target : target.subarray(0, size)));
  }

  async flush(): Promise<void> {
    this.checkOpen();
    await this.sync();
  }

  /** Waits for reads and writes in flight, fsyncs, releases handles. Calls during a close share it. */
  close(): Promise<void> {
    this.closing ??= this.shutDown().finally(() => (this.closing = undefined));
    return this.closing;
  }

  /** Size and mtime of every stored file, in metainfo order (pads and symlinks left out). Works closed too. */
  async fileStates(): Promise<FileState[]> {
    return mapLimit(this.storedList(), PARALLEL_FILES, fileState);
  }

  /** Bytes the files still need on disk and bytes free there: refuse a download up front when it cannot fit. */
  diskSpace(): Promise<DiskSpace> {
    return diskSpace(this.directory, this.storedList());
  }

  /**
   * True when part of piece `index` lies where open() itself extended a file with zeros and nothing has
   * been written there since: the piece cannot verify, so a recheck need not read it.
   */
  isKnownEmpty(index: number): boolean {
    if (this.writtenSinceOpen[index] === 1) return false;
    return pieceSpans(this.metainfo, index).some((span) => {
      const holeStart = this.holeStarts.get(span.fileIndex);
      return holeStart !== undefined && span.fileOffset + span.length > holeStart;
    });
  }

  private async shutDown(): Promise<void> {
    await this.opening?.catch(() => undefined);
    if (this.state !== 'open') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    try {
      await Promise.allSettled([...this.reading]);
      await this.sync();
    } finally {
      await this.handles.closeAll();
      this.state = 'closed';
    }
  }

  private async prepare(): Promise<void> {
    const dataEnds = await prepareFiles(this.storedList(), this.preallocate);
    this.holeStarts = new Map([...dataEnds].filter(([fileIndex, end]) => end < this.metainfo.files[fileIndex].length));
    this.writtenSinceOpen = new Uint8Array(this.metainfo.pieceCount);
    this.state = 'open';
  }

  /** Keeps `operation` in `set` while it runs: flush() and close() wait for what was started before them. */
  private async track<T>(set: Set<Promise<unknown>>, operation: Promise<T>): Promise<T> {
    set.add(operation);
    try {
      return await operation;
    } finally {
      set.delete(operation);
    }
  }

  private async write(index: number, data: Buffer): Promise<void> {
    await this.writeBudget.acquire(data.length);
    try {
      const start = pieceRange(this.metainfo, index).start;
      await Promise.all(
        pieceSpans(this.metainfo, index).map((span) => {
          const file = this.stored(span);
          this.dirty.add(file);
          const at = this.metainfo.files[span.fileIndex].offset + span.fileOffset - start;
          return this.io(file, 'write', 'writing', (handle) => writeFully(handle, data, at, span.length, span.fileOffset));
        }),
      );
      this.writtenSinceOpen[index] = 1;
    } finally {
      this.writeBudget.release(data.length);
    }
  }

  /** Fills `block` with the piece's bytes from `begin` on. */
  private async read(index: number, begin: number, block: Buffer): Promise<Buffer> {
    const length = block.length;
    const start = pieceRange(this.metainfo, index).start;
    const end = begin + length;
    let covered = 0;
    const reads: Promise<void>[] = [];
    for (const span of pieceSpans(this.metainfo, index)) {
      const spanStart = this.metainfo.files[span.fileIndex].offset + span.fileOffset - start;
      const from = Math.max(begin, spanStart);
      const to = Math.min(end, spanStart + span.length);
      if (from >= to) continue;
      // Bytes no file span covers belong to pad files: zeros.
      block.fill(0, covered, from - begin);
      covered = to - begin;
      const file = this.stored(span);
      const position = span.fileOffset + (from - spanStart);
      reads.push(this.io(file, 'read', 'reading', (handle) => readFully(handle, block, from - begin, to - from, position, file.absolutePath)));
    }
    block.fill(0, covered);
    await Promise.all(reads);
    return block;
  }

  private async io<T>(file: StoredFile, access: FileAccess, action: string, body: (handle: FileHandle) => Promise<T>): Promise<T> {
    try {
      return await this.handles.use(file.absolutePath, access, body);
    } catch (error) {
      throw toStorageError(error, action, file.absolutePath);
    }
  }

  /**
   * Waits for the writes started before this call (including those queued for the write budget), then
   * fsyncs the files written. Writes started meanwhile are not waited for: under a steady download there
   * may never be a moment without one, and a later write only moves a file's mtime, which the next start
   * notices.
   */
  private async sync(): Promise<void> {
    await Promise.allSettled([...this.writing]);
    const files = [...this.dirty];
    this.dirty.clear();
    try {
      await Promise.all(files.map((file) => this.io(file, 'read', 'syncing', (handle) => handle.datasync())));
    } catch (error) {
      // Still not known to be durable: the next flush tries again.
      for (const file of files) this.dirty.add(file);
      throw error;
    }
  }

  private storedList(): StoredFile[] {
    return this.files.filter((file): file is StoredFile => file !== undefined);
  }

  private stored(span: FileSpan): StoredFile {
    const file = this.files[span.fileIndex];
    // pieceSpans skips pads; a span always names a stored file unless the metainfo is inconsistent.
    if (file === undefined) throw new StorageError('range', `file ${span.fileIndex} holds piece data but is not stored`);
    return file;
  }

  private checkOpen(): void {
    if (this.state !== 'open') throw new StorageError('closed', this.state === 'new' ? 'store is not open' : 'store is closed');
  }

  /** Checks the piece index and the byte range within it; returns the piece's size. */
  private checkRange(index: number, begin: number, length: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.metainfo.pieceCount) {
      throw new StorageError('range', `piece ${index} is outside [0, ${this.metainfo.pieceCount})`);
    }
    const size = pieceSize(this.metainfo, index);
    if (!Number.isInteger(begin) || !Number.isInteger(length) || begin < 0 || length < 0 || begin + length > size) {
      throw new StorageError('range', `bytes [${begin}, ${begin + length}) are outside piece ${index} (${size} bytes)`);
    }
    return size;
  }
}

async function fileState(file: StoredFile): Promise<FileState> {
  try {
    const stats = await stat(file.absolutePath);
    return { fileIndex: file.fileIndex, path: file.relativePath, exists: true, size: stats.size, mtimeMs: stats.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { fileIndex: file.fileIndex, path: file.relativePath, exists: false, size: 0, mtimeMs: 0 };
    throw toStorageError(error, 'inspecting', file.absolutePath);
  }
}
