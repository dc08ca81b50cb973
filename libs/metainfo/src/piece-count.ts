import { MetainfoError } from './errors';

/** Pieces needed for `length` bytes (exact for safe integers). */
export function piecesFor(length: number, pieceLength: number): number {
  return Math.ceil(length / pieceLength);
}

/** Running byte offset; refuses totals past Number.MAX_SAFE_INTEGER so every offset stays exact. */
export function advance(offset: number, length: number, field: string): number {
  const end = offset + length;
  if (!Number.isSafeInteger(end)) {
    throw new MetainfoError(field, `the torrent's total size exceeds ${Number.MAX_SAFE_INTEGER} bytes`);
  }
  return end;
}

/** Bytes spanned by files laid out back to back or piece-aligned: where the last file ends. */
export function spaceLength(files: readonly { offset: number; length: number }[]): number {
  return files.reduce((end, file) => Math.max(end, file.offset + file.length), 0);
}
