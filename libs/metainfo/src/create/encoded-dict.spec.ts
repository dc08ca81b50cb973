import { decode, encode } from '@seedfleet/bencode';
import { Encoded, encodeDict } from './encoded-dict';

describe('encodeDict', () => {
  it('gives the bytes encode() gives for the same dict, with Encoded values copied as they are', () => {
    const files = [{ length: 3, path: ['a'] }];
    const entries = [
      ['piece length', 16384],
      ['files', new Encoded(encode(files))],
      ['name', 'x'],
      ['private', undefined],
      ['file tree', new Map([['a', new Map([['', { length: 3 }]])]])],
    ] as const;
    const expected = encode({ 'piece length': 16384, files, name: 'x', 'file tree': new Map([['a', new Map([['', { length: 3 }]])]]) });
    expect(encodeDict(entries).equals(expected)).toBe(true);
    expect(decode(encodeDict([])).value).toEqual(new Map());
  });
});
