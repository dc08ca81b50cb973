import fc from 'fast-check';
import { decode, encode, keyBytes, keyText, textKey, type BDict } from '@seedfleet/bencode';

describe('dict key helpers', () => {
  it('convert between UTF-8 text, binary-string keys and bytes', () => {
    const key = textKey('名前');
    expect(key).toBe('\xe5\x90\x8d\xe5\x89\x8d');
    expect(keyText(key)).toBe('名前');
    expect(keyBytes(key)).toEqual(Buffer.from('名前', 'utf8'));
    expect(keyText('\xff')).toBe('\ufffd');
    expect(textKey('piece length')).toBe('piece length');
    expect(textKey('café')).toBe('caf\xc3\xa9');
  });

  it('textKey is the UTF-8 bytes as latin1 for any text, ASCII or not, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code)) }), fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) })), (text) => {
        expect(textKey(text)).toBe(Buffer.from(text, 'utf8').toString('latin1'));
      }),
    );
  });

  it('match the keys the decoder returns and the encoder accepts', () => {
    const dict = decode(encode({ 名前: 1 })).value as BDict;
    expect(dict.get(textKey('名前'))).toBe(1);
    expect(encode(new Map([[textKey('名前'), 1]]))).toEqual(encode({ 名前: 1 }));
  });
});
