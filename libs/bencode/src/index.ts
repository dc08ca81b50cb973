export { decode } from './decode';
export { encode } from './encode';
export { BencodeError, type BencodeErrorCode } from './errors';
export { keyBytes, keyText, textKey } from './keys';
export { DEFAULT_DECODE_LIMITS } from './limits';
export { hasLoneSurrogate } from './unicode';
export type { BDict, BEncodable, BValue, Decoded, DecodeOptions, Span, SpanNode } from './types';
