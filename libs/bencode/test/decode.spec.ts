import { type BDict, type BValue, decode, encode, textKey } from '@seedfleet/bencode';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const valueOf = (text: string): BValue => decode(bytes(text)).value;

describe('decode values', () => {
  it('decodes byte strings as views of the input', () => {
    const input = bytes('l3:abc0:e');
    const [abc, empty] = decode(input).value as Buffer[];
    expect(abc).toEqual(bytes('abc'));
    expect(empty).toEqual(Buffer.alloc(0));
    expect(abc.buffer).toBe(input.buffer);
    expect(abc.byteOffset).toBe(input.byteOffset + 3);
  });

  it.each([
    ['i0e', 0],
    ['i-1e', -1],
    ['i42e', 42],
    ['i999999999999999e', 999_999_999_999_999],
    ['i9007199254740991e', Number.MAX_SAFE_INTEGER],
    ['i-9007199254740991e', Number.MIN_SAFE_INTEGER],
    ['i0000000009007199254740991e', null],
  ])('decodes %s as the number %p', (input, expected) => {
    if (expected === null) expect(() => valueOf(input)).toThrow('leading zero');
    else expect(valueOf(input)).toBe(expected);
  });

  it.each([
    ['i9007199254740992e', 9007199254740992n],
    ['i-9007199254740992e', -9007199254740992n],
    ['i18446744073709551615e', 18446744073709551615n],
    ['i-99999999999999999999e', -99999999999999999999n],
  ])('decodes %s, beyond safe integers, as a bigint', (input, expected) => {
    expect(valueOf(input)).toBe(expected);
  });

  it('decodes lists and dicts with binary-string keys', () => {
    const value = valueOf('d4:listli1e1:xe2:\xc3\xa9i2e1:\xffi3ee') as BDict;
    expect([...value.keys()]).toEqual(['list', textKey('é'), '\xff']);
    expect(value.get('list')).toEqual([1, bytes('x')]);
    expect(value.get(textKey('é'))).toBe(2);
  });

  it('accepts any Uint8Array and reports spans relative to it', () => {
    const backing = new Uint8Array(20);
    backing.set(bytes('xxxd1:a2:bce'), 0);
    const view = backing.subarray(3, 12);
    const decoded = decode(view);
    const dict = decoded.value as BDict;
    expect(dict.get('a')).toEqual(bytes('bc'));
    expect(decoded.span(dict)).toEqual({ start: 0, end: 9 });
    expect(decoded.span(dict.get('a') as Buffer)).toEqual({ start: 4, end: 8 });
  });

  it('keeps __proto__ and constructor as plain Map entries', () => {
    const dict = valueOf('d11:constructori2e9:__proto__d1:ai1eee') as BDict;
    expect(dict).toBeInstanceOf(Map);
    expect(dict.get('__proto__')).toEqual(new Map([['a', 1]]));
    expect(dict.get('constructor')).toBe(2);
    expect(Object.getPrototypeOf(dict)).toBe(Map.prototype);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('decodes nesting far beyond the call stack when the depth limit allows it', () => {
    const depth = 1_000_000;
    const input = Buffer.concat([Buffer.alloc(depth, 'l'), Buffer.alloc(depth, 'e')]);
    let node = decode(input, { maxDepth: Infinity }).value;
    for (let level = 1; level < depth; level++) node = (node as BValue[])[0];
    expect(node).toEqual([]);
  });

  it('allows trailing bytes on request, with the root span telling where the value ends', () => {
    const decoded = decode(bytes('d1:ai1eeRAW'), { allowTrailingBytes: true });
    expect(decoded.value).toEqual(new Map([['a', 1]]));
    expect(decoded.span(decoded.value as BDict)).toEqual({ start: 0, end: 8 });
  });
});

describe('canonical flag', () => {
  it.each([
    ['de', true],
    ['d1:ai1e1:bi2ee', true],
    ['d1:Ai1e1:ai2ee', true],
    ['d1:ai1e2:aai2ee', true],
    ['d1:\x7fi1e1:\x80i2ee', true],
    ['d1:bi1e1:ai2ee', false],
    ['d2:aai1e1:ai2ee', false],
    ['d1:ai1e1:ai2ee', false],
    ['li1ed1:bi1e1:ai2eee', false],
    ['d1:ad1:bi1e1:ai2eee', false],
  ])('%j is canonical: %p', (input, canonical) => {
    expect(decode(bytes(input)).canonical).toBe(canonical);
  });

  it('keeps the first of duplicated keys, adjacent or not', () => {
    const decoded = decode(bytes('d1:ai1e1:bi2e1:ai3e1:bli4eee'));
    expect(decoded.canonical).toBe(false);
    expect(decoded.value).toEqual(new Map([['a', 1], ['b', 2]]));
  });
});

describe('spans and raw bytes', () => {
  const info = { length: 5, name: 'a.bin', 'piece length': 16384, pieces: Buffer.alloc(20, 7) };
  const torrent = encode({ announce: 'http://tracker/announce', comment: 'x', info });

  it('gives the original bytes of the info dict inside a torrent', () => {
    const decoded = decode(torrent);
    const root = decoded.value as BDict;
    const infoDict = root.get('info') as BDict;
    expect(decoded.raw(infoDict)).toEqual(encode(info));
    expect(decoded.raw(root)).toEqual(torrent);
    expect(decoded.span(root)).toEqual({ start: 0, end: torrent.length });
    expect(decoded.raw(infoDict.get('name') as Buffer).toString()).toBe('5:a.bin');
    expect(decoded.raw(infoDict.get('pieces') as Buffer)).toEqual(Buffer.concat([bytes('20:'), Buffer.alloc(20, 7)]));
  });

  it('keeps the raw bytes of a non-canonical dict as written', () => {
    const input = bytes('d4:infod1:bi1e1:ai2eee');
    const decoded = decode(input);
    const infoDict = (decoded.value as BDict).get('info') as BDict;
    expect(decoded.raw(infoDict).toString()).toBe('d1:bi1e1:ai2ee');
    expect(encode(infoDict).toString()).toBe('d1:ai2e1:bi1ee');
  });

  it('spans strings whose length has many digits and empty strings', () => {
    const long = Buffer.alloc(123_456, 'z');
    const input = encode([Buffer.alloc(0), long]);
    const decoded = decode(input);
    const [empty, decodedLong] = decoded.value as Buffer[];
    expect(decoded.span(empty)).toEqual({ start: 1, end: 3 });
    expect(decoded.span(decodedLong)).toEqual({ start: 3, end: input.length - 1 });
    expect(decoded.raw(decodedLong).equals(encode(long))).toBe(true);
  });

  it('spans strings in very wide lists and dicts', () => {
    const count = 300_000;
    const input = Buffer.from(`l${'1:x'.repeat(count)}d${'1:ai1e'}ee`);
    const decoded = decode(input);
    const list = decoded.value as BValue[];
    expect(decoded.span(list[count - 1] as Buffer)).toEqual({ start: 1 + 3 * (count - 1), end: 1 + 3 * count });
    expect(decoded.span(list[count] as BDict)).toEqual({ start: 1 + 3 * count, end: input.length - 1 });
  });

  it('knows only the nodes of its own decode', () => {
    const first = decode(bytes('l1:ae'));
    const second = decode(bytes('l1:ae'));
    const foreignList = second.value as BValue[];
    expect(first.span(foreignList)).toBeUndefined();
    expect(first.span(foreignList[0] as Buffer)).toBeUndefined();
    expect(first.span(bytes('a'))).toBeUndefined();
    expect(() => first.raw(foreignList)).toThrow(TypeError);
  });
});
