import type { Container } from './parser';
import type { BValue, Span, SpanNode } from './types';

/**
 * Finds the span of a decoded node by identity. Built on the first request, since most decodes never
 * ask and many ask once (for the root or the info dict).
 */
export class SpanIndex {
  private containerIndex: Map<Container, number> | undefined;
  private strings: Set<Buffer> | undefined;

  constructor(
    private readonly input: Buffer,
    private readonly root: BValue,
    private readonly containers: readonly Container[],
    private readonly bounds: readonly number[],
  ) {}

  span(node: SpanNode): Span | undefined {
    if (Buffer.isBuffer(node)) {
      this.strings ??= collectStrings(this.root);
      return this.strings.has(node) ? this.stringSpan(node) : undefined;
    }
    this.containerIndex ??= new Map(this.containers.map((container, index) => [container, index]));
    const index = this.containerIndex.get(node);
    return index === undefined ? undefined : { start: this.bounds[2 * index], end: this.bounds[2 * index + 1] };
  }

  /**
   * A decoded string is a view of the input, so its end is known, and since lengths have no leading zeros
   * its "<length>:" prefix is exactly the decimal length plus one byte. The parser records nothing per string.
   */
  private stringSpan(value: Buffer): Span {
    const end = value.byteOffset - this.input.byteOffset + value.length;
    return { start: end - value.length - String(value.length).length - 1, end };
  }
}

/** The byte strings in a decoded tree (values dropped as duplicate keys are not in it, so not spanned). */
function collectStrings(root: BValue): Set<Buffer> {
  const strings = new Set<Buffer>();
  const pending: BValue[] = [root];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (Buffer.isBuffer(node)) strings.add(node);
    // Pushed one by one: spreading a list of a million items into push() would overflow the call stack.
    else if (Array.isArray(node)) for (const item of node) pending.push(item);
    else if (node instanceof Map) for (const item of node.values()) pending.push(item);
  }
  return strings;
}
