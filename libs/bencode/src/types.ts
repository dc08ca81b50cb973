/** A decoded bencode value. Byte strings decode to Buffer (a subarray of the input, no copy). */
export type BValue = Buffer | number | bigint | BValue[] | BDict;

/**
 * Dict keys are "binary strings": each byte becomes one char code 0-255 (latin1), so any byte key
 * round-trips exactly and ASCII keys read naturally: dict.get('info'). Map, so no prototype pollution.
 */
export type BDict = Map<string, BValue>;

export interface DecodeOptions {
  /** Nesting limit for lists and dicts, default 100 (libtorrent's default). */
  maxDepth?: number;
  /** Total values, dict keys included, default 2_000_000. */
  maxTokens?: number;
  /** Longest byte string; default: no limit beyond the input length. */
  maxStringLength?: number;
  /** Digits of an integer, excluding '-'; default 20. */
  maxIntegerDigits?: number;
  /** Default false: bytes after the first value are an error. */
  allowTrailingBytes?: boolean;
}

/** [start, end) byte offsets in the input. */
export interface Span {
  start: number;
  end: number;
}

export type SpanNode = Buffer | BValue[] | BDict;

export interface Decoded {
  value: BValue;
  /** false when any dict had keys out of byte order or duplicated (first occurrence wins). */
  canonical: boolean;
  /** Byte span of any decoded container or byte string (object identity); undefined if not from this decode. */
  span(node: SpanNode): Span | undefined;
  /** The original bytes of a container or string: input.subarray(span.start, span.end). Throws if foreign. */
  raw(node: SpanNode): Buffer;
}

/**
 * Integers: numbers must be safe integers (else TypeError); bigint for larger. Strings encode as UTF-8.
 * Plain-object keys are UTF-8 text; Map keys are binary strings (as the decoder returns) or Buffers.
 * Dict keys are sorted by raw bytes. `undefined` values in objects/maps are skipped.
 */
export type BEncodable =
  | Buffer
  | Uint8Array
  | string
  | number
  | bigint
  | BEncodable[]
  | Map<string | Buffer, BEncodable | undefined>
  | { [key: string]: BEncodable | undefined };
