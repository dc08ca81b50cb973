/**
 * Where a torrent's verified pieces live. The engine only ever writes whole pieces that passed their hash
 * check, so a store never holds unverified bytes; blocks are read back for seeding.
 *
 * Offsets and sizes follow the torrent's linear piece space (`@seedfleet/metainfo` geometry): pad files
 * occupy space there but are never stored; reads over them return zeros.
 */
export interface PieceStore {
  /** Creates or opens what the store needs (directories, files, sparse preallocation). Idempotent. */
  open(): Promise<void>;
  /** Writes one whole verified piece (`data.length` is the piece's size). Resolves once the bytes are written. */
  writePiece(index: number, data: Buffer): Promise<void>;
  /** Reads `length` bytes at `begin` within piece `index`. Rejects with StorageError if the bytes are not there. */
  readBlock(index: number, begin: number, length: number): Promise<Buffer>;
  /** Reads a whole piece (for recheck and for the read cache). */
  readPiece(index: number): Promise<Buffer>;
  /** Makes written data durable (fsync) before resume data says it is there. */
  flush(): Promise<void>;
  /** Flushes and releases file handles. The store can be opened again. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'io' // read/write failed (EIO, EACCES, ...)
  | 'no-space' // ENOSPC / EDQUOT: the disk is full
  | 'missing' // a file or the bytes asked for are not there
  | 'closed' // the store is closed
  | 'range' // index/begin/length outside the torrent
  | 'unsafe-path'; // a torrent path would land outside the download directory

/** Every store failure; `code` says what kind, `path` which file when there is one. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
