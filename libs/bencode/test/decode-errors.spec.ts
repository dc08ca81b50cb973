import { BencodeError, type BencodeErrorCode, decode, type DecodeOptions } from '@seedfleet/bencode';

type ErrorCase = [input: string, code: BencodeErrorCode, offset: number, options?: DecodeOptions];

const cases: ErrorCase[] = [
  ['', 'unexpected-eof', 0],
  ['i', 'unexpected-eof', 1],
  ['i12', 'unexpected-eof', 3],
  ['i-', 'unexpected-eof', 2],
  ['1', 'unexpected-eof', 1],
  ['1:', 'unexpected-eof', 2],
  ['5:abc', 'unexpected-eof', 5],
  ['99999999999:', 'unexpected-eof', 12],
  ['999999999999999999999999999999:abc', 'unexpected-eof', 34],
  ['l', 'unexpected-eof', 1],
  ['li1e', 'unexpected-eof', 4],
  ['d', 'unexpected-eof', 1],
  ['d1:a', 'unexpected-eof', 4],
  ['d3:fooi1e', 'unexpected-eof', 9],
  ['ie', 'expected-digit', 1],
  ['i-e', 'expected-digit', 2],
  ['i+1e', 'expected-digit', 1],
  ['i 1e', 'expected-digit', 1],
  ['i--1e', 'expected-digit', 2],
  ['i1x', 'expected-e', 2],
  ['i1.5e', 'expected-e', 2],
  ['i1', 'unexpected-eof', 2],
  ['3abc', 'expected-colon', 1],
  ['3-abc', 'expected-colon', 1],
  ['i03e', 'leading-zero', 1],
  ['i00e', 'leading-zero', 1],
  ['i-03e', 'leading-zero', 2],
  ['03:abc', 'leading-zero', 0],
  ['l00:e', 'leading-zero', 1],
  ['i-0e', 'negative-zero', 1],
  ['i-0', 'negative-zero', 1],
  [`i${'1'.repeat(21)}e`, 'integer-too-long', 21],
  [`i-${'9'.repeat(21)}e`, 'integer-too-long', 22],
  ['i1234e', 'integer-too-long', 4, { maxIntegerDigits: 3 }],
  ['4:abcd', 'string-too-long', 0, { maxStringLength: 3 }],
  ['l4:abcde', 'string-too-long', 1, { maxStringLength: 3 }],
  ['d4:abcdi1ee', 'string-too-long', 1, { maxStringLength: 3 }],
  ['99999999999:', 'string-too-long', 0, { maxStringLength: 1024 }],
  ['llleee', 'depth-exceeded', 2, { maxDepth: 2 }],
  ['ld1:aleee', 'depth-exceeded', 5, { maxDepth: 2 }],
  ['le', 'depth-exceeded', 0, { maxDepth: 0 }],
  ['li1ei2ee', 'too-many-tokens', 4, { maxTokens: 2 }],
  ['d1:ai1ee', 'too-many-tokens', 4, { maxTokens: 2 }],
  ['d1:ai1ee', 'too-many-tokens', 1, { maxTokens: 1 }],
  ['i1', 'unexpected-eof', 2, { maxTokens: 1 }],
  ['i1ei2e', 'trailing-bytes', 3],
  ['0:x', 'trailing-bytes', 2],
  ['le ', 'trailing-bytes', 2],
  ['dee', 'trailing-bytes', 2],
  ['x', 'expected-value', 0],
  ['e', 'expected-value', 0],
  ['-1:a', 'expected-value', 0],
  ['li1ex', 'expected-value', 4],
  ['d3:fooe', 'expected-value', 6],
  ['d1:a:e', 'expected-value', 4],
  ['di1ei2ee', 'key-not-string', 1],
  ['dlee', 'key-not-string', 1],
  ['d1:ai1ei2ei3ee', 'key-not-string', 7],
];

function decodeError(input: string, options?: DecodeOptions): BencodeError {
  try {
    decode(Buffer.from(input, 'latin1'), options);
  } catch (error) {
    if (error instanceof BencodeError) return error;
    throw error;
  }
  throw new Error(`decoded ${JSON.stringify(input)} without an error`);
}

describe('decode errors', () => {
  // A rest parameter keeps the callback's arity at 0: Jest would take a fourth named parameter for `done`.
  it.each(cases)('%j is %s at offset %i', (...testCase) => {
    const [input, code, offset, options] = testCase;
    const error = decodeError(input, options);
    expect({ code: error.code, offset: error.offset }).toEqual({ code, offset });
    expect(error.name).toBe('BencodeError');
    expect(error.message).toMatch(new RegExp(`^bencode: .+ at offset ${offset}$`));
  });

  it('messages name the problem and the offset', () => {
    expect(decodeError('d3:bari012ee').message).toBe('bencode: leading zero in integer at offset 7');
    expect(decodeError('03:abc').message).toBe('bencode: leading zero in string length at offset 0');
    expect(decodeError('li1ex').message).toBe("bencode: expected a value, found 'x' at offset 4");
    expect(decodeError('d1:a\n').message).toBe('bencode: expected a value after dictionary key, found byte 0x0a at offset 4');
    expect(decodeError('i1ei2e').message).toBe('bencode: 3 trailing bytes after the value at offset 3');
  });

  it('reports a declared string length past the end without allocating it', () => {
    const error = decodeError('99999999999:');
    expect(error.code).toBe('unexpected-eof');
    expect(error.message).toBe(
      'bencode: unexpected end of input (string at offset 0 declares 99999999999 bytes, 0 remain) at offset 12',
    );
  });

  it('stops a depth bomb of a million nested lists at the depth limit, not the call stack', () => {
    const bomb = Buffer.alloc(1_000_000, 'l');
    const error = decodeError(bomb.toString('latin1'));
    expect({ code: error.code, offset: error.offset }).toEqual({ code: 'depth-exceeded', offset: 100 });
    expect(decodeError(Buffer.alloc(1_000_000, 'd').toString('latin1')).code).toBe('key-not-string');
    expect(decodeError('d1:a'.repeat(500)).code).toBe('depth-exceeded');
  });

  it('refuses limits that are not non-negative integers', () => {
    expect(() => decode(Buffer.from('le'), { maxDepth: -1 })).toThrow(RangeError);
    expect(() => decode(Buffer.from('le'), { maxTokens: 1.5 })).toThrow('maxTokens must be a non-negative integer');
    expect(() => decode(Buffer.from('le'), { maxStringLength: Number.NaN })).toThrow(RangeError);
  });
});
