import { checkFileIndex, type PieceLayout } from './layout';
import { pieceSpans } from './piece-spans';

export interface PieceIndexRange {
  /** First piece holding bytes of the file. */
  first: number;
  /** One past the last; equal to `first` for an empty file. */
  end: number;
}

/** The pieces overlapping file `fileIndex` (a v1 piece may be shared with neighbouring files). */
export function filePieceRange(layout: PieceLayout, fileIndex: number): PieceIndexRange {
  checkFileIndex(layout, fileIndex);
  const file = layout.files[fileIndex];
  const first = Math.floor(file.offset / layout.pieceLength);
  if (file.length === 0) return { first, end: first };
  return { first, end: Math.ceil((file.offset + file.length) / layout.pieceLength) };
}

/**
 * For v2 and hybrid layouts: the file whose merkle tree holds piece `index`, and the piece's index in
 * that file's piece layer.
 */
export function v2PieceLocation(layout: PieceLayout, index: number): { fileIndex: number; filePiece: number } {
  const [span] = pieceSpans(layout, index);
  if (span === undefined || span.fileOffset % layout.pieceLength !== 0) {
    throw new RangeError(`piece ${index} does not start a v2 piece of any file: the layout is not piece-aligned`);
  }
  return { fileIndex: span.fileIndex, filePiece: span.fileOffset / layout.pieceLength };
}
