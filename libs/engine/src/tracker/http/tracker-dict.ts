import { type BDict, BencodeError, type BValue, decode } from '@seedfleet/bencode';
import { TrackerError } from '../tracker-error';

/**
 * Typed reads from a bencoded tracker answer. Any wrong type is a 'bad-response' TrackerError naming the
 * field, so parsers read as a list of fields and never throw anything else.
 */
export class TrackerDict {
  constructor(
    private readonly dict: BDict,
    private readonly url: string,
  ) {}

  /** Decodes a whole answer; tolerates trailing bytes (some trackers end with a newline). */
  static decode(body: Buffer, url: string): TrackerDict {
    let value: BValue;
    try {
      value = decode(body, { maxDepth: 8, allowTrailingBytes: true }).value;
    } catch (error) {
      if (error instanceof BencodeError) throw new TrackerError('bad-response', url, `the answer is not bencode: ${error.message}`, { cause: error });
      throw error;
    }
    if (!(value instanceof Map)) throw new TrackerError('bad-response', url, 'the answer is not a bencoded dictionary');
    return new TrackerDict(value, url);
  }

  has(key: string): boolean {
    return this.dict.has(key);
  }

  raw(key: string): BValue | undefined {
    return this.dict.get(key);
  }

  /** A non-negative integer no larger than `max`. */
  count(key: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = this.dict.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      throw this.bad(`"${key}" is not an integer in [0, ${max}]`);
    }
    return value;
  }

  requiredCount(key: string, max?: number): number {
    const value = this.count(key, max);
    if (value === undefined) throw this.bad(`"${key}" is missing`);
    return value;
  }

  bytes(key: string): Buffer | undefined {
    const value = this.dict.get(key);
    if (value === undefined) return undefined;
    if (!Buffer.isBuffer(value)) throw this.bad(`"${key}" is not a byte string`);
    return value;
  }

  text(key: string): string | undefined {
    return this.bytes(key)?.toString('utf8');
  }

  dictionary(key: string): TrackerDict | undefined {
    const value = this.dict.get(key);
    if (value === undefined) return undefined;
    if (!(value instanceof Map)) throw this.bad(`"${key}" is not a dictionary`);
    return new TrackerDict(value, this.url);
  }

  entries(): IterableIterator<[string, BValue]> {
    return this.dict.entries();
  }

  bad(message: string): TrackerError {
    return new TrackerError('bad-response', this.url, message);
  }
}
