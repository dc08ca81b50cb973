import { type BEncodable, decode, encode, textKey } from '@seedfleet/bencode';

const text = (value: BEncodable): string => encode(value).toString('latin1');

describe('encode', () => {
  it.each<[string, BEncodable, string]>([
    ['zero', 0, 'i0e'],
    ['negative zero', -0, 'i0e'],
    ['negative', -42, 'i-42e'],
    ['largest safe integer', Number.MAX_SAFE_INTEGER, 'i9007199254740991e'],
    ['bigint', 18446744073709551615n, 'i18446744073709551615e'],
    ['negative bigint', -5n, 'i-5e'],
    ['empty string', '', '0:'],
    ['string as UTF-8', 'é', '2:\xc3\xa9'],
    ['Buffer', Buffer.from([0, 255]), '2:\x00\xff'],
    ['Uint8Array view', new Uint8Array([9, 1, 2, 9]).subarray(1, 3), '2:\x01\x02'],
    ['list', [1, 'a', [], {}], 'li1e1:aledee'],
    ['object keys sorted', { b: 1, a: 2, aa: 3 }, 'd1:ai2e2:aai3e1:bi1ee'],
    ['undefined object values skipped', { a: undefined, b: 1 }, 'd1:bi1ee'],
    ['Map with binary-string and Buffer keys', new Map<string | Buffer, BEncodable>([['b', 1], [Buffer.from('a'), 2], ['\xff', 3]]), 'd1:ai2e1:bi1e1:\xffi3ee'],
    ['undefined Map values skipped', new Map([['a', undefined], ['b', 1]]), 'd1:bi1ee'],
  ])('encodes %s', (_name, value, expected) => {
    expect(text(value)).toBe(expected);
  });

  it('sorts keys by their UTF-8 bytes, not by JS string order', () => {
    // U+FF61 sorts after U+1F600 as UTF-16 code units (0xFF61 > 0xD83D) but before it as UTF-8 (EF < F0).
    const value = { '\u{1F600}': 1, '\uFF61': 2 };
    expect(Object.keys(value).sort()).toEqual(['\u{1F600}', '\uFF61']);
    expect(text(value)).toBe(`d3:${textKey('\uFF61')}i2e4:${textKey('\u{1F600}')}i1ee`);
    expect(decode(encode(value)).canonical).toBe(true);
  });

  it('writes __proto__ and constructor keys like any other key', () => {
    const value = JSON.parse('{"__proto__": 1, "constructor": 2}') as Record<string, BEncodable>;
    expect(text(value)).toBe('d9:__proto__i1e11:constructori2ee');
    expect(text(new Map([['__proto__', 1]]))).toBe('d9:__proto__i1ee');
  });

  it('re-encodes a decoded canonical value to the same bytes', () => {
    const input = Buffer.from('d4:infod6:lengthi5e4:name3:\xff\x00ae4:listli-1eee', 'latin1');
    expect(encode(decode(input).value)).toEqual(input);
  });

  it('copes with large byte strings and long outputs', () => {
    const pieces = Buffer.alloc(2 * 1024 * 1024, 0xab);
    const files = Array.from({ length: 10_000 }, (_, index) => ({ length: index, path: [`dir`, `file-${index}`] }));
    const output = encode({ info: { files, pieces } });
    const info = (decode(output).value as Map<string, BEncodable>).get('info') as Map<string, BEncodable>;
    expect((info.get('pieces') as Buffer).equals(pieces)).toBe(true);
    expect((info.get('files') as BEncodable[])[9_999]).toEqual(new Map<string, BEncodable>([['length', 9_999], ['path', [Buffer.from('dir'), Buffer.from('file-9999')]]]));
  });

  it('encodes nesting far beyond the call stack', () => {
    let value: BEncodable = [];
    for (let level = 1; level < 1_000_000; level++) value = [value];
    const output = encode(value);
    expect(output.equals(Buffer.concat([Buffer.alloc(1_000_000, 'l'), Buffer.alloc(1_000_000, 'e')]))).toBe(true);
  });

  it('encodes a value shared by two parents (not a cycle)', () => {
    const shared = [1];
    expect(text([shared, { a: shared }])).toBe('lli1eed1:ali1eeee');
  });
});

function encodeError(value: unknown): TypeError {
  try {
    encode(value as BEncodable);
  } catch (error) {
    if (error instanceof TypeError) return error;
    throw error;
  }
  throw new Error('encoded without an error');
}

describe('encode refuses what bencode cannot hold', () => {
  const refused: Array<[string, unknown]> = [
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['a fraction', 1.5],
    ['an unsafe number', 2 ** 53],
    ['a boolean', true],
    ['null', null],
    ['a function', () => 0],
    ['a symbol', Symbol('s')],
    ['a Date', new Date(0)],
    ['a Set', new Set([1])],
    ['an Int16Array', new Int16Array(2)],
    ['an ArrayBuffer', new ArrayBuffer(2)],
    ['a lone surrogate', 'a\ud800b'],
  ];

  // undefined is left out: as a dict value it means "no entry"; in a list it is refused (below).
  it.each(refused)('refuses %s with a TypeError naming the path', (_name, bad) => {
    expect(encodeError(bad).message).toMatch(/^bencode: .+ at root$/);
    const nested = { info: { files: [{ length: 1 }, { length: 2 }, { length: bad }] } };
    expect(encodeError(nested).message).toMatch(/^bencode: .+ at info\.files\[2\]\.length$/);
  });

  it('names the problem', () => {
    expect(() => encode({ 'piece length': 1.5 })).toThrow('bencode: 1.5 is not a safe integer (use a bigint for large integers) at piece length');
    expect(() => encode([1, true as unknown as BEncodable])).toThrow('bencode: cannot encode boolean at [1]');
    expect(() => encode([undefined as unknown as BEncodable])).toThrow('bencode: cannot encode undefined at [0]');
    expect(() => encode({ a: new Date(0) as unknown as BEncodable })).toThrow('bencode: cannot encode Date at a');
  });

  it('refuses cycles', () => {
    const list: BEncodable[] = [1];
    list.push({ again: list });
    expect(() => encode(list)).toThrow('bencode: circular reference at [1].again');
  });

  it('refuses cycles that close deep below the root, and shared (acyclic) values are not cycles', () => {
    const root: BEncodable[] = [];
    let inner: BEncodable[] = root;
    for (let depth = 0; depth < 40; depth++) {
      const next: BEncodable[] = [];
      inner.push(next);
      inner = next;
    }
    let deep = root;
    for (let depth = 0; depth < 30; depth++) deep = deep[0] as BEncodable[];
    inner.push(deep);
    expect(() => encode(root)).toThrow(/^bencode: circular reference at (\[0\]){41}$/);
    inner.pop();
    inner.push(root);
    expect(() => encode(root)).toThrow('circular reference');
    const shared = { length: 1 };
    expect(encode([shared, [shared, [shared]]]).toString()).toBe('ld6:lengthi1eeld6:lengthi1eeld6:lengthi1eeeee');
  });

  it('writes ASCII, Latin-1 and multi-byte text and keys the same on the short and long paths', () => {
    for (const text of ['', 'a', 'x'.repeat(32), 'x'.repeat(33), 'é', 'é'.repeat(40), '名前', '😀']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(encode(text).equals(Buffer.concat([Buffer.from(`${bytes.length}:`), bytes]))).toBe(true);
      expect(encode({ [text]: 1 }).equals(Buffer.concat([Buffer.from(`d${bytes.length}:`), bytes, Buffer.from('i1ee')]))).toBe(true);
    }
  });

  it('refuses keys that are not bytes or collide once converted to bytes', () => {
    expect(() => encode({ x: { ['\udc00']: 1 } })).toThrow('is not valid Unicode text at x');
    expect(() => encode(new Map([['名', 1]]))).toThrow(/map key "名" has characters above U\+00FF.* at root$/);
    expect(() => encode(new Map<string | Buffer, BEncodable>([['a', 1], [Buffer.from('a'), 2]]))).toThrow('bencode: duplicate key "a" at root');
    expect(() => encode(new Map([[1 as unknown as string, 1]]))).toThrow('map key of type number is neither a string nor a Buffer');
  });
});
