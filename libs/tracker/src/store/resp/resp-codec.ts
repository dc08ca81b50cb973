/**
 * RESP2, the Redis wire format, as far as the tracker needs it: commands out (arrays of bulk strings),
 * replies in (simple strings, errors, integers, bulk strings, arrays, nested).
 */

/** Malformed or oversized bytes from the server: the connection cannot be trusted past this point. */
export class RespProtocolError extends Error {
  override readonly name = 'RespProtocolError';
}

/** An error reply (`-ERR ...`, `-NOSCRIPT ...`): a value, delivered to the command that caused it. */
export class RespErrorReply {
  constructor(readonly message: string) {}
}

/** Bulk strings view a copy of their reply's bytes, never the socket chunk (see RespDecoder). */
export type RespValue = string | number | Buffer | null | RespErrorReply | RespValue[];

const MAX_BULK = 512 * 1024 * 1024;
const MAX_LINE = 64 * 1024;
const MAX_DEPTH = 16;

/**
 * `*N\r\n$len\r\narg\r\n...` in one Buffer. Text arguments and the framing around them are joined into
 * one string per run between Buffer arguments and written at once: a batch of announces has hundreds of
 * arguments, and two native writes for each cost more than the rest of the encoding.
 */
export function encodeCommand(command: string, args: readonly (string | Buffer | number)[]): Buffer {
  const chunks: (string | Buffer)[] = [];
  let text = `*${args.length + 1}\r\n$${Buffer.byteLength(command)}\r\n${command}\r\n`;
  for (const arg of args) {
    if (typeof arg === 'number') {
      const digits = String(arg);
      text += `$${digits.length}\r\n${digits}\r\n`;
    } else if (typeof arg === 'string') {
      text += `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`;
    } else {
      chunks.push(`${text}$${arg.length}\r\n`, arg);
      text = '\r\n';
    }
  }
  chunks.push(text);
  const sizes = chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length));
  const out = Buffer.allocUnsafe(sizes.reduce((sum, size) => sum + size, 0));
  let offset = 0;
  chunks.forEach((chunk, index) => {
    // A string whose UTF-8 length is its length is ASCII: latin1 writes it as a plain copy.
    if (typeof chunk !== 'string') offset += chunk.copy(out, offset);
    else offset += out.write(chunk, offset, sizes[index] === chunk.length ? 'latin1' : 'utf8');
  });
  return out;
}

/**
 * Incremental reply parser: feed it socket chunks, get the complete replies in order. A reply split over
 * chunks is parsed again from its start once more bytes arrive (replies here are a few KiB).
 *
 * Each reply holding bulk strings is first measured, then copied once into a buffer of its own that its
 * bulk strings view: a reply kept for a while (cached announce answers) keeps its own bytes alive, never a
 * socket chunk shared with other replies, at the cost of one copy per reply instead of one per string.
 */
export class RespDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** Measuring: walk the reply without building values, counting bulk strings. */
  private measuring = false;
  private bulkStrings = 0;

  /** Replies completed by `chunk`; throws RespProtocolError on bytes that are not RESP2. */
  push(chunk: Buffer): RespValue[] {
    const received = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    let start = 0;
    while (start < received.length) {
      this.buffer = received;
      this.offset = start;
      this.measuring = true;
      this.bulkStrings = 0;
      if (this.parse(0) === INCOMPLETE) break;
      const end = this.offset;
      this.measuring = false;
      if (this.bulkStrings > 0) {
        this.buffer = Buffer.allocUnsafeSlow(end - start);
        received.copy(this.buffer, 0, start, end);
        this.offset = 0;
      } else {
        this.offset = start;
      }
      replies.push(this.parse(0) as RespValue);
      start = end;
    }
    this.buffer = start === received.length ? Buffer.alloc(0) : received.subarray(start);
    return replies;
  }

  private parse(depth: number): RespValue | typeof INCOMPLETE {
    const buffer = this.buffer;
    if (this.offset >= buffer.length) return INCOMPLETE;
    const type = buffer[this.offset];
    if (type === 0x24 || type === 0x2a || type === 0x3a) {
      // $, * and : lines are short numbers: scanned here rather than searched for (one native call each).
      const size = this.number();
      if (size === INCOMPLETE) return INCOMPLETE;
      if (type === 0x3a) return size;
      if (size === -1) return null;
      if (size < 0 || size > MAX_BULK) throw new RespProtocolError(`${type === 0x24 ? 'bulk string' : 'array'} length ${size}`);
      if (type === 0x24) return this.bulk(size);
      if (depth >= MAX_DEPTH) throw new RespProtocolError(`arrays nested deeper than ${MAX_DEPTH}`);
      const items: RespValue[] = [];
      for (let index = 0; index < size; index++) {
        const item = this.parse(depth + 1);
        if (item === INCOMPLETE) return INCOMPLETE;
        if (!this.measuring) items.push(item);
      }
      return items;
    }
    if (type !== 0x2b && type !== 0x2d) throw new RespProtocolError(`unknown reply type byte 0x${type.toString(16)}`);
    const lineEnd = buffer.indexOf('\r\n', this.offset + 1, 'latin1');
    if (lineEnd < 0) {
      if (buffer.length - this.offset > MAX_LINE) throw new RespProtocolError('reply line over 64 KiB');
      return INCOMPLETE;
    }
    const lineStart = this.offset + 1;
    this.offset = lineEnd + 2;
    if (this.measuring) return null;
    return type === 0x2b ? buffer.toString('latin1', lineStart, lineEnd) : new RespErrorReply(buffer.toString('utf8', lineStart, lineEnd));
  }

  /** The decimal line after a type byte, optionally negative, then CRLF. */
  private number(): number | typeof INCOMPLETE {
    const buffer = this.buffer;
    let index = this.offset + 1;
    const negative = buffer[index] === 0x2d;
    if (negative) index++;
    const first = index;
    let value = 0;
    for (; index < buffer.length; index++) {
      const digit = buffer[index] - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (index + 1 >= buffer.length) {
      if (index - first > 19) throw new RespProtocolError('integer over 19 digits');
      return INCOMPLETE;
    }
    if (index === first || index - first > 19 || buffer[index] !== 0x0d || buffer[index + 1] !== 0x0a) {
      throw new RespProtocolError(`bad integer '${buffer.toString('latin1', this.offset + 1, Math.min(index + 1, this.offset + 40))}'`);
    }
    this.offset = index + 2;
    return negative ? -value : value;
  }

  /** A bulk string of `size` bytes at the offset (a view of the reply's own copy). */
  private bulk(size: number): Buffer | null | typeof INCOMPLETE {
    const buffer = this.buffer;
    const end = this.offset + size;
    if (end + 2 > buffer.length) return INCOMPLETE;
    if (buffer[end] !== 0x0d || buffer[end + 1] !== 0x0a) throw new RespProtocolError('bulk string not followed by CRLF');
    const start = this.offset;
    this.offset = end + 2;
    if (this.measuring) {
      this.bulkStrings++;
      return null;
    }
    return buffer.subarray(start, end);
  }
}

const INCOMPLETE = Symbol('incomplete');

