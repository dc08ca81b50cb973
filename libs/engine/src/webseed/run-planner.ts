import { type PieceLayout, pieceSize } from '@seedfleet/metainfo';

export interface PieceRun {
  readonly first: number;
  /** One past the last piece. */
  readonly end: number;
  /** Piece bytes (pads included): what the run's buffers take. */
  readonly bytes: number;
}

export interface RunLimits {
  /** A run at least this large is taken first (1 MiB: fewer, larger Range requests). */
  readonly minRunBytes?: number;
  /** A run stops growing here (at least one piece). */
  readonly maxRunBytes: number;
  /**
   * Where to start looking (default 0); the search wraps around to the pieces before it. Downloaders
   * starting at different places fetch different pieces from the origin and trade them.
   */
  readonly startAt?: number;
}

export const DEFAULT_MIN_RUN_BYTES = 1024 * 1024;

/**
 * Which adjacent pieces to ask a web seed for next (pure). `wanted` says which pieces the caller wants
 * from the seed (missing, not claimed by peers or another run; the origin policy decides). Takes the
 * first stretch of wanted pieces reaching `minRunBytes` once capped at `maxRunBytes`; when none does,
 * the largest stretch (few pieces are left, or they are scattered): small requests only when nothing
 * larger is possible.
 */
export function nextRun(layout: PieceLayout, wanted: (index: number) => boolean, limits: RunLimits): PieceRun | undefined {
  const minRunBytes = limits.minRunBytes ?? DEFAULT_MIN_RUN_BYTES;
  const count = layout.pieceCount;
  const startAt = Math.min(Math.max(0, Math.floor(limits.startAt ?? 0)), Math.max(0, count - 1));
  let best: PieceRun | undefined;
  // From startAt to the end, then from 0 to startAt; a stretch never wraps past the last piece.
  for (const [from, to] of [[startAt, count], [0, startAt]]) {
    for (let index = from; index < to; ) {
      if (!wanted(index)) {
        index++;
        continue;
      }
      const first = index;
      let bytes = 0;
      do {
        bytes += pieceSize(layout, index);
        index++;
      } while (index < count && wanted(index) && bytes + pieceSize(layout, index) <= limits.maxRunBytes);
      const run = { first, end: index, bytes };
      if (bytes >= minRunBytes) return run;
      if (!best || bytes > best.bytes) best = run;
      // A stretch cut by maxRunBytes continues at `index`; one cut by an unwanted piece skips it next turn.
    }
  }
  return best;
}
