export type BencodeErrorCode =
  | 'unexpected-eof'
  | 'expected-value'
  | 'expected-digit'
  | 'expected-colon'
  | 'expected-e'
  | 'leading-zero'
  | 'negative-zero'
  | 'integer-too-long'
  | 'string-too-long'
  | 'depth-exceeded'
  | 'too-many-tokens'
  | 'trailing-bytes'
  | 'key-not-string';

/**
 * Input that is not acceptable bencode. `offset` is where the problem was found: the offending byte, or
 * the input length when the input ended early. The message reads
 * "bencode: leading zero in integer at offset 12".
 */
export class BencodeError extends Error {
  override readonly name = 'BencodeError';

  constructor(
    readonly code: BencodeErrorCode,
    readonly offset: number,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`bencode: ${problem} at offset ${offset}`, options);
  }
}

/** How a byte reads in a message: the character when printable ASCII, else its hex value. */
export function describeByte(byte: number): string {
  return byte >= 0x21 && byte <= 0x7e ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16).padStart(2, '0')}`;
}
