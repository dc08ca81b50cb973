import { firstFileEndingAfter, type PieceLayout } from './layout';
import { pieceRange } from './piece-range';

/** A run of bytes of one file: where a piece's data lives on disk. */
export interface FileSpan {
  fileIndex: number;
  /** Offset inside the file. */
  fileOffset: number;
  length: number;
}

/** The file spans making up piece `index`, in order; pad files and empty files are skipped. */
export function pieceSpans(layout: PieceLayout, index: number): FileSpan[] {
  const { start, end } = pieceRange(layout, index);
  const spans: FileSpan[] = [];
  for (let fileIndex = firstFileEndingAfter(layout, start); fileIndex < layout.files.length; fileIndex++) {
    const file = layout.files[fileIndex];
    if (file.offset >= end) break;
    if (file.pad || file.length === 0) continue;
    const from = Math.max(start, file.offset);
    const to = Math.min(end, file.offset + file.length);
    spans.push({ fileIndex, fileOffset: from - file.offset, length: to - from });
  }
  return spans;
}
