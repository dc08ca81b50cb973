import type { DecodeOptions } from './types';

export type DecodeLimits = Required<DecodeOptions>;

/** Depth 100 is libtorrent's bdecode default; 20 digits hold any 64-bit integer. */
export const DEFAULT_DECODE_LIMITS: Readonly<DecodeLimits> = Object.freeze({
  maxDepth: 100,
  maxTokens: 2_000_000,
  maxStringLength: Infinity,
  maxIntegerDigits: 20,
  allowTrailingBytes: false,
});

const COUNT_OPTIONS = ['maxDepth', 'maxTokens', 'maxStringLength', 'maxIntegerDigits'] as const;

/** Fills in defaults; a limit that is not a non-negative integer (or Infinity) is a programming error. */
export function resolveDecodeLimits(options: DecodeOptions = {}): DecodeLimits {
  const limits: DecodeLimits = { ...DEFAULT_DECODE_LIMITS };
  for (const name of COUNT_OPTIONS) {
    const value = options[name];
    if (value === undefined) continue;
    if (!(value === Infinity || (Number.isInteger(value) && value >= 0))) {
      throw new RangeError(`bencode: ${name} must be a non-negative integer or Infinity, got ${value}`);
    }
    limits[name] = value;
  }
  if (options.allowTrailingBytes !== undefined) limits.allowTrailingBytes = options.allowTrailingBytes;
  return limits;
}
