import { filePieceRange, type Metainfo } from '@seedfleet/metainfo';
import { Bitfield } from '@seedfleet/wire';
import type { KnownEmptySource } from './file-store';
import { PieceRechecker, type PieceVerifierLike } from './piece-rechecker';
import type { PieceStore } from './piece-store';
import { hasFileStates, type ResumeRead, readResumeData } from './resume-file';

export interface RecheckOptions {
  readonly metainfo: Metainfo;
  readonly store: PieceStore;
  readonly verifier: PieceVerifierLike;
  /** Called after each piece to check (hashed, or skipped as known empty or missing). */
  onProgress?(checked: number, total: number): void;
  readonly signal?: AbortSignal;
  /** Piece bytes read and hashing at once (default 8 MiB; at least 2 pieces are in flight). */
  readonly maxBytesInFlight?: number;
}

export interface LoadVerifiedOptions extends RecheckOptions {
  readonly resumePath?: string;
}

export interface LoadVerifiedResult {
  readonly have: Bitfield;
  /** Pieces read and hashed. */
  readonly checkedPieces: number;
  /** Pieces taken from the resume data without hashing. */
  readonly trustedPieces: number;
  /** Why the resume data was not used (absent, damaged, another torrent...); undefined when it was. */
  readonly resumeIgnored?: string;
}

const MAX_PIECES_IN_FLIGHT = 64;

/**
 * Which pieces are on disk and good, hashing as little as it can. With a valid resume file whose
 * files still have the recorded size and mtime, its pieces are trusted; only pieces touching a file that
 * changed (or vanished, or is new) are hashed again. Without usable resume data every piece is hashed.
 * Missing or short files just make their pieces absent. Damaged resume data is a reason, never an error.
 */
export async function loadVerifiedPieces(options: LoadVerifiedOptions): Promise<LoadVerifiedResult> {
  const { metainfo, resumePath } = options;
  const resume = resumePath === undefined ? { ok: false as const, reason: 'no resume path given' } : await readResumeData(resumePath, metainfo);
  return verifiedPieces(options, resume);
}

/** Hashes every piece again, ignoring resume data. */
export async function recheck(options: RecheckOptions): Promise<LoadVerifiedResult> {
  return verifiedPieces(options, { ok: false, reason: 'a full recheck ignores resume data' });
}

async function verifiedPieces(options: RecheckOptions, resume: ResumeRead): Promise<LoadVerifiedResult> {
  const { metainfo, store } = options;
  const have = new Bitfield(metainfo.pieceCount);
  const toCheck = new Uint8Array(metainfo.pieceCount);
  let trustedPieces = 0;
  let resumeIgnored: string | undefined;
  if (!resume.ok) {
    resumeIgnored = resume.reason;
    toCheck.fill(1);
  } else if (!hasFileStates(store)) {
    resumeIgnored = 'the store cannot report file sizes and mtimes';
    toCheck.fill(1);
  } else {
    for (const state of await store.fileStates()) {
      const recorded = resume.data.files.get(state.path);
      const unchanged = state.exists && recorded !== undefined && recorded.size === state.size && recorded.mtimeMs === state.mtimeMs;
      if (unchanged) continue;
      const { first, end } = filePieceRange(metainfo, state.fileIndex);
      toCheck.fill(1, first, end);
    }
    for (let index = 0; index < metainfo.pieceCount; index++) {
      if (toCheck[index] === 0 && resume.data.have.has(index)) {
        have.set(index);
        trustedPieces++;
      }
    }
  }
  const checkedPieces = await checkPieces(options, toCheck, have);
  return { have, checkedPieces, trustedPieces, resumeIgnored };
}

/**
 * Reads and hashes the marked pieces, several in flight so the disk and every hash worker stay busy,
 * in index order so reads stay mostly sequential. Sets the good ones in `have`; returns how many were hashed.
 */
async function checkPieces(options: RecheckOptions, toCheck: Uint8Array, have: Bitfield): Promise<number> {
  const { metainfo, store, verifier, signal, onProgress } = options;
  const checker = new PieceRechecker(store, verifier, metainfo.pieceLength);
  const knownEmpty = isKnownEmptySource(store) ? (index: number) => store.isKnownEmpty(index) : () => false;
  const indexes: number[] = [];
  for (let index = 0; index < toCheck.length; index++) if (toCheck[index] === 1) indexes.push(index);
  const total = indexes.length;
  const inFlight = Math.max(2, Math.min(MAX_PIECES_IN_FLIGHT, Math.floor((options.maxBytesInFlight ?? 8 * 1024 * 1024) / metainfo.pieceLength)));
  let next = 0;
  let done = 0;
  let hashed = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < total && !failed) {
      signal?.throwIfAborted();
      const index = indexes[next++];
      if (!knownEmpty(index)) {
        const result = await checker.check(index, signal);
        if (result !== 'absent') hashed++;
        if (result === 'good') have.set(index);
      }
      onProgress?.(++done, total);
    }
  };
  onProgress?.(0, total);
  await Promise.all(
    Array.from({ length: Math.min(inFlight, total) }, () =>
      worker().catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  signal?.throwIfAborted();
  return hashed;
}

function isKnownEmptySource(store: PieceStore): store is PieceStore & KnownEmptySource {
  return typeof (store as Partial<KnownEmptySource>).isKnownEmpty === 'function';
}
