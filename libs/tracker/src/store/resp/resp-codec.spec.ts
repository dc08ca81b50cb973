import fc from 'fast-check';
import { encodeCommand, RespDecoder, RespErrorReply, RespProtocolError, type RespValue } from './resp-codec';

/** A test-side RESP2 encoder for replies (the server's side). */
function encodeReply(value: RespValue): Buffer {
  if (value === null) return Buffer.from('$-1\r\n');
  if (typeof value === 'number') return Buffer.from(`:${value}\r\n`);
  if (typeof value === 'string') return Buffer.from(`+${value}\r\n`, 'latin1');
  if (value instanceof RespErrorReply) return Buffer.from(`-${value.message}\r\n`);
  if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from(`$${value.length}\r\n`), value, Buffer.from('\r\n')]);
  return Buffer.concat([Buffer.from(`*${value.length}\r\n`), ...value.map(encodeReply)]);
}

const reply: fc.Arbitrary<RespValue> = fc.letrec<{ value: RespValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((text) => text.replace(/[\r\n]/g, '')),
    fc.string({ maxLength: 20 }).map((text) => new RespErrorReply(`ERR ${text.replace(/[\r\n]/g, '')}`)),
    fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
    fc.array(tie('value'), { maxLength: 5 }),
  ),
})).value;

function decodeAll(bytes: Buffer, cuts: number[]): RespValue[] {
  const decoder = new RespDecoder();
  const replies: RespValue[] = [];
  let start = 0;
  for (const cut of [...cuts.filter((at) => at > 0 && at < bytes.length).sort((a, b) => a - b), bytes.length]) {
    replies.push(...decoder.push(bytes.subarray(start, cut)));
    start = cut;
  }
  return replies;
}

describe('encodeCommand', () => {
  it('writes an array of bulk strings, numbers as text and buffers as they are', () => {
    expect(encodeCommand('EVALSHA', ['ab', 2, Buffer.from([0, 255]), 'é']).toString('latin1')).toBe('*5\r\n$7\r\nEVALSHA\r\n$2\r\nab\r\n$1\r\n2\r\n$2\r\n\x00\xff\r\n$2\r\n\xc3\xa9\r\n');
  });

  it('frames any mix of text, numbers and bytes so that a RESP decoder reads each argument back', () => {
    const argument = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.uint8Array({ maxLength: 30 }).map((bytes) => Buffer.from(bytes)));
    fc.assert(
      fc.property(fc.array(argument, { maxLength: 30 }), (args) => {
        const expected = ['PING', ...args].map((arg) => (Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg))));
        expect(new RespDecoder().push(encodeCommand('PING', args))).toEqual([expected]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('RespDecoder', () => {
  it('decodes every reply type, nested, however the bytes are split', () => {
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 4 }), fc.array(fc.nat({ max: 400 }), { maxLength: 6 }), (replies, cuts) => {
        expect(decodeAll(Buffer.concat(replies.map(encodeReply)), cuts)).toEqual(replies);
      }),
      { numRuns: 400 },
    );
  });

  it('waits for the rest of a split reply and keeps later ones for later', () => {
    const decoder = new RespDecoder();
    expect(decoder.push(Buffer.from('*2\r\n:1\r\n$3\r\nab'))).toEqual([]);
    expect(decoder.push(Buffer.from('c\r\n+OK\r\n:'))).toEqual([[1, Buffer.from('abc')], 'OK']);
    expect(decoder.push(Buffer.from('7\r\n'))).toEqual([7]);
  });

  it('gives each reply with bulk strings a copy of its own bytes, so keeping one never keeps the chunk', () => {
    const first = Buffer.from('*2\r\n$3\r\nabc\r\n$1\r\nd\r\n');
    const chunk = Buffer.concat([first, Buffer.from('$2\r\nef\r\n:5\r\n')]);
    const [pair, single] = new RespDecoder().push(chunk) as [Buffer[], Buffer];
    expect(pair[0].buffer).not.toBe(chunk.buffer);
    expect(pair[0].buffer.byteLength).toBe(first.length);
    expect(pair[1].buffer).toBe(pair[0].buffer);
    expect(single.buffer.byteLength).toBe(8);
  });

  it.each([
    ['an unknown type byte', '?x\r\n'],
    ['a bad integer', ':12a\r\n'],
    ['an empty integer', ':\r\n'],
    ['a negative bulk length', '$-2\r\n'],
    ['a bulk string without its CRLF', '$1\r\nabc\r\n'],
    ['arrays nested too deep', `${'*1\r\n'.repeat(17)}:1\r\n`],
  ])('refuses %s', (_, bytes) => {
    expect(() => new RespDecoder().push(Buffer.from(bytes))).toThrow(RespProtocolError);
  });

  it('refuses an endless line', () => {
    expect(() => new RespDecoder().push(Buffer.from(`+${'x'.repeat(70_000)}`))).toThrow(RespProtocolError);
  });

  it('never throws anything but RespProtocolError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          new RespDecoder().push(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(RespProtocolError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
