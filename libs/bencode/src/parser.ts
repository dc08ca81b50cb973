import { COLON, isDigit, LETTER_D, LETTER_E, LETTER_I, LETTER_L } from './bytes';
import { decimalValue, integerValue, scanInteger, scanLength, unexpectedEnd } from './digits';
import { BencodeError, describeByte } from './errors';
import type { DecodeLimits } from './limits';
import type { BDict, BValue } from './types';

export type Container = BValue[] | BDict;

/**
 * An open list or dict. A dict alternates between awaiting a key and awaiting that key's value. Frames
 * are reused level by level, so a container costs no allocation beyond itself.
 */
interface Frame {
  start: number;
  list: BValue[] | undefined;
  dict: BDict | undefined;
  awaitingKey: boolean;
  key: string;
  /** The current key repeats an earlier one; its value is decoded and dropped (first occurrence wins). */
  duplicate: boolean;
  /** Some key so far was not greater than the one before it. */
  outOfOrder: boolean;
  previousKeyStart: number;
  previousKeyEnd: number;
}

export interface ParseResult {
  value: BValue;
  canonical: boolean;
  /** Every decoded list and dict; container i spans [bounds[2i], bounds[2i+1]). */
  containers: Container[];
  bounds: number[];
}

/**
 * Decodes one value with an explicit stack instead of recursion, so nesting depth is bounded only by
 * `maxDepth`, never by the JS call stack.
 */
export function parse(input: Buffer, limits: DecodeLimits): ParseResult {
  return new Parser(input, limits).run();
}

class Parser {
  private pos = 0;
  private tokens = 0;
  private canonical = true;
  /** frames[0 .. depth - 1] are the open containers, outermost first. */
  private readonly frames: Frame[] = [];
  private depth = 0;
  // Plain arrays, not a WeakMap: weak collections with many entries cost more in garbage collection than
  // the whole parse. String spans are not recorded at all (see span-index.ts).
  private readonly containers: Container[] = [];
  private readonly bounds: number[] = [];

  constructor(
    private readonly input: Buffer,
    private readonly limits: DecodeLimits,
  ) {}

  run(): ParseResult {
    for (;;) {
      const top = this.top();
      let value: BValue | undefined;
      if (top?.awaitingKey) {
        if (this.peek() !== LETTER_E) {
          this.readKey(top);
          continue;
        }
        value = this.close();
      } else {
        value = this.readValue(top);
        if (value === undefined) continue;
      }
      const parent = this.top();
      if (parent === undefined) return this.finish(value);
      if (parent.list !== undefined) {
        parent.list.push(value);
      } else {
        if (!parent.duplicate) parent.dict?.set(parent.key, value);
        parent.awaitingKey = true;
      }
    }
  }

  /** Reads a scalar, or opens a container (returns undefined), or closes a list (returns it). */
  private readValue(top: Frame | undefined): BValue | undefined {
    const byte = this.peek();
    if (byte === LETTER_I) {
      this.countToken();
      const end = scanInteger(this.input, this.pos, this.limits.maxIntegerDigits);
      const value = integerValue(this.input, this.pos + 1, end);
      this.pos = end + 1;
      return value;
    }
    if (isDigit(byte)) {
      this.countToken();
      return this.input.subarray(this.scanString(), this.pos);
    }
    if (byte === LETTER_L || byte === LETTER_D) {
      this.open(byte === LETTER_D);
      return undefined;
    }
    if (byte === LETTER_E && top?.list !== undefined) return this.close();
    const where = top?.dict !== undefined ? ' after dictionary key' : '';
    throw new BencodeError('expected-value', this.pos, `expected a value${where}, found ${describeByte(byte)}`);
  }

  private readKey(frame: Frame): void {
    if (!isDigit(this.peek())) {
      throw new BencodeError('key-not-string', this.pos, `dictionary key is not a byte string, found ${describeByte(this.peek())}`);
    }
    this.countToken();
    const keyStart = this.scanString();
    const key = this.input.toString('latin1', keyStart, this.pos);
    // Strictly increasing keys cannot repeat, so only a dict already out of order needs the lookup.
    if (!frame.outOfOrder && frame.previousKeyEnd >= 0) {
      frame.outOfOrder = this.input.compare(this.input, frame.previousKeyStart, frame.previousKeyEnd, keyStart, this.pos) <= 0;
      if (frame.outOfOrder) this.canonical = false;
    }
    frame.duplicate = frame.outOfOrder && (frame.dict?.has(key) ?? false);
    frame.key = key;
    frame.previousKeyStart = keyStart;
    frame.previousKeyEnd = this.pos;
    frame.awaitingKey = false;
  }

  /** Validates a byte string at `pos` and moves past it; returns where its content starts. */
  private scanString(): number {
    const start = this.pos;
    const colon = scanLength(this.input, start);
    if (colon >= this.input.length) throw unexpectedEnd(this.input);
    if (this.input[colon] !== COLON) {
      throw new BencodeError('expected-colon', colon, `expected ':' after string length, found ${describeByte(this.input[colon])}`);
    }
    const length = decimalValue(this.input, start, colon);
    if (length > this.limits.maxStringLength) {
      throw new BencodeError('string-too-long', start, `string of ${length} bytes is longer than ${this.limits.maxStringLength}`);
    }
    const remaining = this.input.length - colon - 1;
    if (length > remaining) {
      throw unexpectedEnd(this.input, ` (string at offset ${start} declares ${length} bytes, ${remaining} remain)`);
    }
    this.pos = colon + 1 + length;
    return colon + 1;
  }

  private open(isDict: boolean): void {
    if (this.depth >= this.limits.maxDepth) {
      throw new BencodeError('depth-exceeded', this.pos, `nesting deeper than ${this.limits.maxDepth}`);
    }
    this.countToken();
    let frame = this.frames[this.depth];
    if (frame === undefined) {
      frame = { start: 0, list: undefined, dict: undefined, awaitingKey: false, key: '', duplicate: false, outOfOrder: false, previousKeyStart: -1, previousKeyEnd: -1 };
      this.frames.push(frame);
    }
    this.depth++;
    frame.start = this.pos;
    frame.list = isDict ? undefined : [];
    frame.dict = isDict ? new Map() : undefined;
    frame.awaitingKey = isDict;
    frame.duplicate = false;
    frame.outOfOrder = false;
    frame.previousKeyEnd = -1;
    this.pos++;
  }

  /** Consumes the 'e' at `pos` and returns the finished container. */
  private close(): Container {
    this.pos++;
    const frame = this.frames[--this.depth];
    const container = frame.list ?? (frame.dict as BDict);
    this.containers.push(container);
    this.bounds.push(frame.start, this.pos);
    return container;
  }

  private finish(value: BValue): ParseResult {
    if (this.pos < this.input.length && !this.limits.allowTrailingBytes) {
      const count = this.input.length - this.pos;
      throw new BencodeError('trailing-bytes', this.pos, `${count} trailing byte${count === 1 ? '' : 's'} after the value`);
    }
    return { value, canonical: this.canonical, containers: this.containers, bounds: this.bounds };
  }

  private top(): Frame | undefined {
    return this.depth === 0 ? undefined : this.frames[this.depth - 1];
  }

  private peek(): number {
    if (this.pos >= this.input.length) throw unexpectedEnd(this.input);
    return this.input[this.pos];
  }

  private countToken(): void {
    if (++this.tokens > this.limits.maxTokens) {
      throw new BencodeError('too-many-tokens', this.pos, `more than ${this.limits.maxTokens} values`);
    }
  }
}
