import fc from 'fast-check';
import { WireError } from './errors';
import { decodeMetadataMessage, encodeMetadataMessage, METADATA_PIECE_LENGTH } from './ut-metadata';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

describe('ut_metadata (BEP 9)', () => {
  it('encodes the messages as in BEP 9', () => {
    expect(encodeMetadataMessage({ type: 'request', piece: 0 })).toEqual(bytes('d8:msg_typei0e5:piecei0ee'));
    expect(encodeMetadataMessage({ type: 'reject', piece: 0 })).toEqual(bytes('d8:msg_typei2e5:piecei0ee'));
    expect(encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 3, data: bytes('abc') })).toEqual(
      bytes('d8:msg_typei1e5:piecei0e10:total_sizei3eeabc'),
    );
  });

  it('finds the piece bytes right after the dictionary', () => {
    const totalSize = METADATA_PIECE_LENGTH + 100;
    const last = Buffer.alloc(100, 0x65); // 'e', which a sloppy parser could take for the dict's end
    const decoded = decodeMetadataMessage(encodeMetadataMessage({ type: 'data', piece: 1, totalSize, data: last }));
    expect(decoded).toEqual({ type: 'data', piece: 1, totalSize, data: last });
    const first = Buffer.alloc(METADATA_PIECE_LENGTH, 1);
    expect(decodeMetadataMessage(encodeMetadataMessage({ type: 'data', piece: 0, totalSize, data: first }))).toEqual({
      type: 'data',
      piece: 0,
      totalSize,
      data: first,
    });
  });

  it('round-trips requests and rejects, and passes unknown message types through to be ignored', () => {
    fc.assert(
      fc.property(fc.constantFrom('request' as const, 'reject' as const), fc.nat(), (type, piece) => {
        expect(decodeMetadataMessage(encodeMetadataMessage({ type, piece }))).toEqual({ type, piece });
      }),
    );
    expect(decodeMetadataMessage(bytes('d8:msg_typei7e5:piecei3ee'))).toEqual({ type: 'unknown', msgType: 7, piece: 3 });
  });

  it.each([
    ['a piece of the wrong length', 'd8:msg_typei1e5:piecei0e10:total_sizei3eeab'],
    ['a piece beyond total_size', 'd8:msg_typei1e5:piecei1e10:total_sizei3eeabc'],
    ['a zero total_size', 'd8:msg_typei1e5:piecei0e10:total_sizei0ee'],
    ['a missing total_size', 'd8:msg_typei1e5:piecei0eeabc'],
    ['a negative piece', 'd8:msg_typei0e5:piecei-1ee'],
    ['a missing msg_type', 'd5:piecei0ee'],
    ['a list', 'li0ee'],
    ['truncated bencode', 'd8:msg_type'],
  ])('refuses %s', (_name, payload) => {
    expect(() => decodeMetadataMessage(bytes(payload))).toThrow(expect.objectContaining({ reason: 'bad-metadata-message' }));
  });

  it('refuses a total_size over the limit', () => {
    const payload = encodeMetadataMessage({ type: 'data', piece: 0, totalSize: 3, data: bytes('abc') });
    expect(() => decodeMetadataMessage(payload, 2)).toThrow(expect.objectContaining({ reason: 'bad-metadata-message' }));
  });

  it('throws nothing but WireError on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (payload) => {
        try {
          decodeMetadataMessage(payload);
        } catch (error) {
          expect(error).toBeInstanceOf(WireError);
        }
      }),
    );
  });
});
