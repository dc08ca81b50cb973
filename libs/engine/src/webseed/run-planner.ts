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
  let best: PieceRun | undefined;
  for (let index = 0; index < layout.pieceCount; ) {
    if (!wanted(index)) {
      index++;
      continue;
    }
    const first = index;
    let bytes = 0;
    do {
      bytes += pieceSize(layout, index);
      index++;
    } while (index < layout.pieceCount && wanted(index) && bytes + pieceSize(layout, index) <= limits.maxRunBytes);
    const run = { first, end: index, bytes };
    if (bytes >= minRunBytes) return run;
    if (!best || bytes > best.bytes) best = run;
    // A stretch cut by maxRunBytes continues at `index`; one cut by an unwanted piece skips it next turn.
  }
  return best;
}
