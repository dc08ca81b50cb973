import { resolveDecodeLimits } from './limits';
import { parse } from './parser';
import { SpanIndex } from './span-index';
import type { Decoded, DecodeOptions, Span, SpanNode } from './types';

/**
 * Decodes untrusted bytes strictly (see README.md for the rules and limits). Byte strings in the result
 * are views of `input`, not copies. Throws only BencodeError for bad input.
 */
export function decode(input: Uint8Array, options?: DecodeOptions): Decoded {
  const limits = resolveDecodeLimits(options);
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const { value, canonical, containers, bounds } = parse(bytes, limits);
  const index = new SpanIndex(bytes, value, containers, bounds);
  const span = (node: SpanNode): Span | undefined => index.span(node);
  const raw = (node: SpanNode): Buffer => {
    const found = index.span(node);
    if (found === undefined) throw new TypeError('bencode: raw() was given a value that this decode did not produce');
    return bytes.subarray(found.start, found.end);
  };
  return { value, canonical, span, raw };
}
