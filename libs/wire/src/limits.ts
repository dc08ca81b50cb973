import { WireError } from './errors';

/** Size limits applied to every frame before its body is buffered. */
export interface WireLimits {
  /** Largest frame (bytes after the length prefix) of any type: bitfield, extended, hashes, unknown. */
  maxMessageLength: number;
  /** Largest block in a piece message; we never request more, and libtorrent refuses more than 16 KiB too. */
  maxBlockLength: number;
  /** When known, a bitfield must be exactly ceil(pieceCount / 8) bytes with zero spare bits. */
  pieceCount?: number;
}

/** 1 MiB covers a bitfield of 8M pieces, a metadata piece, and 32k v2 hashes. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1024 * 1024;
export const DEFAULT_MAX_BLOCK_LENGTH = 16 * 1024;

/** Fills defaults and checks the options once, so the per-frame checks trust them. */
export function resolveLimits(options: Partial<WireLimits> = {}): WireLimits {
  const limits: WireLimits = {
    maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    maxBlockLength: options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH,
    pieceCount: options.pieceCount,
  };
  checkCount('maxBlockLength', limits.maxBlockLength);
  checkCount('maxMessageLength', limits.maxMessageLength);
  if (limits.pieceCount !== undefined) checkCount('pieceCount', limits.pieceCount);
  // Every fixed-size message and a full block must fit, or a well-behaved peer could never talk to us.
  const smallest = Math.max(9 + limits.maxBlockLength, 49, 1 + Math.ceil((limits.pieceCount ?? 0) / 8));
  if (limits.maxMessageLength < smallest) {
    throw new WireError('bad-argument', `maxMessageLength ${limits.maxMessageLength} is below ${smallest}, the largest message the limits allow`);
  }
  return limits;
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
    throw new WireError('bad-argument', `${name} ${value} is not an integer between 0 and 2^32-1`);
  }
}
