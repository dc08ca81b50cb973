import { COLON, LETTER_D, LETTER_E, LETTER_L } from './bytes';
import { type DictEntry, dictEntries, type EncodableDict } from './dict-entries';
import type { BEncodable } from './types';
import { hasLoneSurrogate } from './unicode';
import { ChunkWriter } from './writer';

/** An open list or dict; `next` is the index of the child after the one being written. */
type Frame =
  | { readonly container: object; readonly items: readonly BEncodable[]; readonly entries?: undefined; next: number }
  | { readonly container: object; readonly items?: undefined; readonly entries: readonly DictEntry[]; next: number };

/**
 * Encodes a value as canonical bencode. Throws TypeError, naming the path ("info.files[2].length"), for
 * values bencode cannot hold: non-integer or unsafe numbers, booleans, null, functions, symbols, cycles.
 * Works from an explicit stack, so deep values cannot overflow the call stack.
 */
export function encode(value: BEncodable): Buffer {
  return new Encoder().run(value);
}

const SCANNED_DEPTH = 16;

class Encoder {
  private readonly writer = new ChunkWriter();
  private readonly stack: Frame[] = [];
  /**
   * Containers being written deeper than SCANNED_DEPTH, to refuse cycles instead of looping forever. The
   * shallow ones (all of them in real torrents) are found by scanning the stack, which is cheaper than
   * adding every file dict of a 10k-file torrent to a Set and deleting it again.
   */
  private readonly deepOpen = new Set<object>();
  private readonly failWith = (problem: string): never => this.fail(problem);

  run(root: BEncodable): Buffer {
    this.write(root);
    for (let top = this.stack.at(-1); top !== undefined; top = this.stack.at(-1)) {
      if (top.items !== undefined && top.next < top.items.length) {
        this.write(top.items[top.next++]);
      } else if (top.entries !== undefined && top.next < top.entries.length) {
        const entry = top.entries[top.next++];
        this.writeBytes(entry.key);
        this.write(entry.value);
      } else {
        this.writer.byte(LETTER_E);
        if (this.stack.length > SCANNED_DEPTH) this.deepOpen.delete(top.container);
        this.stack.pop();
      }
    }
    return this.writer.finish();
  }

  /** Writes a scalar, or the start of a container and pushes its frame. */
  private write(value: BEncodable | undefined): void {
    switch (typeof value) {
      case 'string':
        return this.writeText(value);
      case 'number':
        if (!Number.isSafeInteger(value)) this.fail(`${value} is not a safe integer (use a bigint for large integers)`);
        return this.writer.ascii(`i${value}e`);
      case 'bigint':
        return this.writer.ascii(`i${value}e`);
      case 'object':
        return this.writeObject(value);
      default:
        this.fail(`cannot encode ${typeof value}`);
    }
  }

  private writeObject(value: object | null): void {
    if (value === null) this.fail('cannot encode null');
    if (value instanceof Uint8Array) return this.writeBytes(value);
    if (this.isOpen(value)) this.fail('circular reference');
    if (Array.isArray(value)) {
      this.writer.byte(LETTER_L);
      this.push({ container: value, items: value, next: 0 });
    } else if (value instanceof Map || isPlainObject(value)) {
      const entries = dictEntries(value as EncodableDict, this.failWith);
      this.writer.byte(LETTER_D);
      this.push({ container: value, entries, next: 0 });
    } else {
      this.fail(`cannot encode ${value.constructor?.name ?? 'object'}`);
    }
  }

  private isOpen(container: object): boolean {
    const scanned = Math.min(this.stack.length, SCANNED_DEPTH);
    for (let index = 0; index < scanned; index++) {
      if (this.stack[index].container === container) return true;
    }
    return this.deepOpen.has(container);
  }

  private push(frame: Frame): void {
    this.stack.push(frame);
    if (this.stack.length > SCANNED_DEPTH) this.deepOpen.add(frame.container);
  }

  private writeBytes(value: Uint8Array): void {
    this.writer.ascii(String(value.length));
    this.writer.byte(COLON);
    this.writer.bytes(value);
  }

  private writeText(value: string): void {
    const byteLength = Buffer.byteLength(value, 'utf8');
    // As many bytes as UTF-16 units means pure ASCII, which holds no surrogates: skip the scan.
    if (byteLength !== value.length && hasLoneSurrogate(value)) this.fail('string is not valid Unicode text (lone surrogate)');
    this.writer.ascii(String(byteLength));
    this.writer.byte(COLON);
    this.writer.utf8(value, byteLength);
  }

  private fail(problem: string): never {
    throw new TypeError(`bencode: ${problem} at ${this.path()}`);
  }

  /** Where the value being written sits, e.g. info.files[2].length; "root" for the top-level value. */
  private path(): string {
    let path = '';
    for (const frame of this.stack) {
      if (frame.items !== undefined) {
        path += `[${frame.next - 1}]`;
      } else {
        const key = frame.entries[frame.next - 1].key.toString('utf8');
        path += path === '' ? key : `.${key}`;
      }
    }
    return path === '' ? 'root' : path;
  }
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
