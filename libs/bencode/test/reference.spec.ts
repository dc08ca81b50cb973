import { type BEncodable, encode } from '@seedfleet/bencode';
import bencode from 'bencode';
import fc from 'fast-check';

/** Values the `bencode` npm package also encodes: ASCII keys (its JS key sort equals byte order there), no bigints. */
const asciiKey = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((code) => String.fromCharCode(code)), maxLength: 10 });
const shared: fc.Arbitrary<BEncodable> = fc.letrec<{ value: BEncodable }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.uint8Array({ maxLength: 40 }).map((array) => Buffer.from(array)),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.maxSafeInteger(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.array(fc.tuple(asciiKey, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
  ),
})).value;

describe('against the bencode npm package', () => {
  it('encodes values both support to the same bytes', () => {
    fc.assert(
      fc.property(shared, (value) => {
        expect(encode(value)).toEqual(Buffer.from(bencode.encode(value)));
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees on a torrent-like value', () => {
    const torrent = {
      announce: 'http://tracker.example/announce',
      'creation date': 1_700_000_000,
      info: { files: [{ length: 3, path: ['a', 'b.txt'] }], name: 'release', 'piece length': 262_144, pieces: Buffer.alloc(40, 1) },
    };
    expect(encode(torrent)).toEqual(Buffer.from(bencode.encode(torrent)));
  });
});
