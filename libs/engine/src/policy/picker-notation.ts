import type { BlockRef } from './block-state';
import { PiecePicker, type PiecePickerOptions } from './piece-picker';
import type { PieceSet } from './piece-set';
import { seededRandom } from './random';

/**
 * libtorrent's test notation for pickers (test_piece_picker.cpp), for table tests: one character per piece.
 * availability "2223333": digit = how many peers have the piece; have "* *  ": non-space = we have it.
 */
export interface PickerSetup {
  readonly availability: string;
  readonly have?: string;
  /** Digit = blocks 0..d-1 of the piece already received (the piece is in flight). */
  readonly partial?: string;
  /** Digit = the piece's priority. */
  readonly priority?: string;
  /** Blocks per piece: one number for all, or one per piece (short last piece, v2 file tails). */
  readonly blocks?: number | readonly number[];
  readonly seed?: number;
  readonly options?: Partial<PiecePickerOptions>;
}

/** A picker in the described state. Availability comes from peers named "avail-1", "avail-2", ... */
export function setupPicker(setup: PickerSetup): PiecePicker {
  const pieceCount = setup.availability.length;
  const blocks = setup.blocks ?? 4;
  const blockCounts = typeof blocks === 'number' ? new Array<number>(pieceCount).fill(blocks) : blocks;
  const picker = new PiecePicker(blockCounts, { random: seededRandom(setup.seed ?? 1), ...setup.options });
  const digits = [...setup.availability].map(Number);
  for (let holder = 1; holder <= Math.max(0, ...digits); holder++) {
    picker.addPeer(`avail-${holder}`, pieceSet(digits.map((count) => (count >= holder ? '*' : ' ')).join('')));
  }
  [...(setup.priority ?? '')].forEach((digit, piece) => picker.setPriority(piece, Number(digit)));
  [...(setup.have ?? '')].forEach((mark, piece) => mark !== ' ' && picker.setHave(piece));
  const partial = [...(setup.partial ?? '')].map((mark) => (mark === ' ' ? 0 : Number(mark)));
  if (partial.some((count) => count > 0)) {
    picker.addPeer('setup', 'all');
    partial.forEach((count, piece) => {
      if (count === 0) return;
      for (const { block } of picker.pick('setup', count, { restrictTo: [piece] })) picker.blockReceived('setup', piece, block);
    });
    picker.removePeer('setup');
  }
  picker.checkInvariants();
  return picker;
}

/** A piece set from have-notation: "* **" has pieces 0, 2 and 3. */
export function pieceSet(marks: string): PieceSet {
  return { has: (index) => index < marks.length && marks[index] !== ' ' };
}

/** Blocks as "piece:block" strings, for readable expectations. */
export function blockNames(blocks: readonly BlockRef[]): string[] {
  return blocks.map(({ piece, block }) => `${piece}:${block}`);
}

/** The distinct pieces of `blocks`, in first-seen order. */
export function piecesOf(blocks: readonly BlockRef[]): number[] {
  return [...new Set(blocks.map(({ piece }) => piece))];
}
