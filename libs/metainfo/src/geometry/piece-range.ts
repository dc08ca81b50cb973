import { type ByteRange, checkPieceIndex, lastFileStartingBefore, type PieceLayout } from './layout';

/**
 * The bytes of piece `index` in the piece space. A piece is cut short where the data stops: at the end
 * of the torrent, and in v2 layouts at the end of its file (v2 pieces never span files; the gap up to the
 * next piece boundary is not data). In v1 and hybrid layouts pad-file bytes count: peers send them.
 */
export function pieceRange(layout: PieceLayout, index: number): ByteRange {
  checkPieceIndex(layout, index);
  const start = index * layout.pieceLength;
  const limit = start + layout.pieceLength;
  // File ends never decrease, so the last file starting inside the piece ends furthest.
  const last = layout.files[lastFileStartingBefore(layout, limit)];
  return { start, end: Math.min(limit, last.offset + last.length) };
}

/** Length in bytes of piece `index`. */
export function pieceSize(layout: PieceLayout, index: number): number {
  const { start, end } = pieceRange(layout, index);
  return end - start;
}

/** Length of the final piece, the only short one in a v1 torrent. */
export function lastPieceSize(layout: PieceLayout): number {
  return pieceSize(layout, layout.pieceCount - 1);
}
