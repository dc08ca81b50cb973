import type { TorrentFile } from '../model';

/**
 * What piece geometry needs from a torrent (a Metainfo is one). Files are in piece-space order; their
 * ends never decrease, which both v1 (back to back) and v2 (piece-aligned) layouts guarantee.
 */
export interface PieceLayout {
  pieceLength: number;
  pieceCount: number;
  files: readonly Pick<TorrentFile, 'length' | 'offset' | 'pad'>[];
}

export interface ByteRange {
  /** Inclusive start in the piece space. */
  start: number;
  /** Exclusive end. */
  end: number;
}

export function checkPieceIndex(layout: PieceLayout, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= layout.pieceCount) {
    throw new RangeError(`piece index ${index} is outside 0..${layout.pieceCount - 1}`);
  }
}

export function checkFileIndex(layout: PieceLayout, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= layout.files.length) {
    throw new RangeError(`file index ${index} is outside 0..${layout.files.length - 1}`);
  }
}

/** Index of the first file ending after `position` (files.length if none). */
export function firstFileEndingAfter(layout: PieceLayout, position: number): number {
  let low = 0;
  let high = layout.files.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const file = layout.files[middle];
    if (file.offset + file.length > position) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Index of the last file starting before `position` (-1 if none). */
export function lastFileStartingBefore(layout: PieceLayout, position: number): number {
  let low = 0;
  let high = layout.files.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (layout.files[middle].offset < position) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}
