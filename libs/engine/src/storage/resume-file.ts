import { type FileHandle, open } from 'node:fs/promises';
import type { Metainfo } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import { writeFileAtomically } from './atomic-write';
import type { FileStateSource } from './file-store';
import { toStorageError } from './io-error';
import { type PieceStore, StorageError } from './piece-store';
import { decodeResumeData, encodeResumeData, type ResumeDecoded } from './resume-data';

/** Resume files larger than this are not ours: 2^21 pieces and 100k files fit in a few MiB. */
const MAX_RESUME_BYTES = 64 * 1024 * 1024;

export interface SaveResumeOptions {
  readonly metainfo: Metainfo;
  /** Pieces verified and written: only those whose writePiece has resolved. */
  readonly have: Bitfield;
  readonly store: PieceStore;
}

/**
 * Records which pieces we have and what the files look like, so the next start trusts those pieces
 * without hashing them. The bitfield is copied first and the store flushed before the files are looked
 * at: a piece written afterwards changes a file's mtime, which the next start notices and rechecks, so
 * the resume file never claims bytes that are not on disk.
 */
export async function saveResumeData(resumePath: string, { metainfo, have, store }: SaveResumeOptions): Promise<void> {
  const snapshot = Bitfield.fromWire(have.toWire(), have.size);
  try {
    await store.flush();
  } catch (error) {
    // A closed store flushed when it closed.
    if (!(error instanceof StorageError && error.code === 'closed')) throw error;
  }
  const files = hasFileStates(store) ? await store.fileStates() : [];
  await writeFileAtomically(resumePath, encodeResumeData(metainfo, snapshot, files));
}

export type ResumeRead = ResumeDecoded | { readonly ok: false; readonly reason: string; readonly absent: true };

/** The resume file at `resumePath` if there is a usable one for `metainfo`, else why not. Never throws for bad content. */
export async function readResumeData(resumePath: string, metainfo: Metainfo): Promise<ResumeRead> {
  let handle: FileHandle;
  try {
    handle = await open(resumePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'no resume file', absent: true };
    throw toStorageError(error, 'reading', resumePath);
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_RESUME_BYTES) return { ok: false, reason: `${size} bytes is too large for resume data` };
    return decodeResumeData(await handle.readFile(), metainfo);
  } catch (error) {
    throw toStorageError(error, 'reading', resumePath);
  } finally {
    await handle.close();
  }
}

export function hasFileStates(store: PieceStore): store is PieceStore & FileStateSource {
  return typeof (store as Partial<FileStateSource>).fileStates === 'function';
}
