import { decode, encode, keyBytes, keyText, textKey, type BDict } from '@seedfleet/bencode';

describe('dict key helpers', () => {
  it('convert between UTF-8 text, binary-string keys and bytes', () => {
    const key = textKey('名前');
    expect(key).toBe('\xe5\x90\x8d\xe5\x89\x8d');
    expect(keyText(key)).toBe('名前');
    expect(keyBytes(key)).toEqual(Buffer.from('名前', 'utf8'));
    expect(keyText('\xff')).toBe('\ufffd');
    expect(textKey('piece length')).toBe('piece length');
  });

  it('match the keys the decoder returns and the encoder accepts', () => {
    const dict = decode(encode({ 名前: 1 })).value as BDict;
    expect(dict.get(textKey('名前'))).toBe(1);
    expect(encode(new Map([[textKey('名前'), 1]]))).toEqual(encode({ 名前: 1 }));
  });
});
