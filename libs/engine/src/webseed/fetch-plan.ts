import { type PieceLayout, pieceRange, pieceSpans } from '@seedfleet/metainfo';

/** Bytes of one piece carried by a segment, in segment order. */
export interface SegmentPart {
  readonly piece: number;
  /** Where these bytes go in the piece buffer. */
  readonly pieceOffset: number;
  readonly length: number;
}

/** One HTTP Range request: a run of consecutive bytes of one file. */
export interface Segment {
  readonly fileIndex: number;
  readonly fileOffset: number;
  readonly length: number;
  readonly parts: readonly SegmentPart[];
}

export interface PlannedPiece {
  readonly index: number;
  readonly size: number;
  /** File bytes to fetch; less than `size` when pad files (zeros, never fetched) fill the rest. */
  readonly fetched: number;
}

/** How pieces [first, end) are fetched: the pieces' sizes and the per-file requests covering them. */
export interface FetchPlan {
  readonly first: number;
  readonly end: number;
  readonly pieces: readonly PlannedPiece[];
  readonly segments: readonly Segment[];
  /** Sum of piece sizes: the memory the run's buffers take. */
  readonly pieceBytes: number;
}

/**
 * Maps a run of adjacent pieces to the fewest Range requests: the pieces' file spans in order, merged
 * while they continue the same file, so a run inside one file is one request however many pieces it
 * has, and a run across N files is N consecutive requests. Pad and empty files yield no request.
 */
export function planFetch(layout: PieceLayout, first: number, end: number): FetchPlan {
  if (!Number.isInteger(first) || !Number.isInteger(end) || first < 0 || end > layout.pieceCount || first >= end) {
    throw new RangeError(`piece run [${first}, ${end}) is not a non-empty range inside 0..${layout.pieceCount}`);
  }
  const pieces: PlannedPiece[] = [];
  const segments: { fileIndex: number; fileOffset: number; length: number; parts: SegmentPart[] }[] = [];
  let pieceBytes = 0;
  for (let index = first; index < end; index++) {
    const { start, end: pieceEnd } = pieceRange(layout, index);
    let fetched = 0;
    for (const span of pieceSpans(layout, index)) {
      const pieceOffset = layout.files[span.fileIndex].offset + span.fileOffset - start;
      const part = { piece: index, pieceOffset, length: span.length };
      const last = segments.at(-1);
      if (last && last.fileIndex === span.fileIndex && last.fileOffset + last.length === span.fileOffset) {
        last.length += span.length;
        last.parts.push(part);
      } else {
        segments.push({ fileIndex: span.fileIndex, fileOffset: span.fileOffset, length: span.length, parts: [part] });
      }
      fetched += span.length;
    }
    pieces.push({ index, size: pieceEnd - start, fetched });
    pieceBytes += pieceEnd - start;
  }
  return { first, end, pieces, segments, pieceBytes };
}
