import fc from 'fast-check';
import type { BEncodable } from '@seedfleet/bencode';
import { lastPieceSize, MetainfoError, parseTorrent } from './index';
import { bytes, encodeTorrent, type FixtureFile, hybridTorrent, setAt, type TorrentObject, v1Torrent, v2Torrent } from '../test/torrent-fixtures';

// Malformed input must never escape as anything but MetainfoError (QUALITY.md, test 6).

const files: FixtureFile[] = [
  { path: ['a'], data: bytes(40000, 1) },
  { path: ['d', 'b'], data: bytes(700, 2) },
  { path: ['d', 'e'], data: bytes(0) },
];
const builders: Record<string, () => TorrentObject> = {
  v1: () => v1Torrent('t', 16384, files).torrent,
  'v1 single': () => v1Torrent('t', 16384, files.slice(0, 1), true).torrent,
  v2: () => v2Torrent('t', 16384, files).torrent,
  hybrid: () => hybridTorrent('t', 16384, files).torrent,
};

/** Either a torrent whose geometry holds together, or a MetainfoError. */
function parsesOrRefuses(input: Uint8Array, requirePieceLayers = false): void {
  let metainfo;
  try {
    metainfo = parseTorrent(input, { requirePieceLayers });
  } catch (error) {
    if (!(error instanceof MetainfoError)) throw error;
    return;
  }
  const last = lastPieceSize(metainfo);
  expect(last > 0 && last <= metainfo.pieceLength).toBe(true);
}

describe.each(Object.entries(builders))('parseTorrent on mutated %s torrents', (_kind, build) => {
  const valid = encodeTorrent(build());

  it('is valid before mutation', () => {
    expect(() => parseTorrent(valid, { requirePieceLayers: true })).not.toThrow();
  });

  it('random byte flips and truncations only ever throw MetainfoError', () => {
    const flip = fc.record({ at: fc.nat({ max: valid.length - 1 }), value: fc.integer({ min: 0, max: 255 }) });
    fc.assert(
      fc.property(fc.array(flip, { minLength: 1, maxLength: 4 }), fc.nat({ max: valid.length }), fc.boolean(), (flips, cut, truncate) => {
        const input = Buffer.from(valid);
        for (const { at, value } of flips) input[at] = value;
        parsesOrRefuses(truncate ? input.subarray(0, cut) : input, truncate);
      }),
      { numRuns: 500 },
    );
  });

  it('structured mutations of the decoded dict only ever throw MetainfoError', () => {
    const paths = valuePaths(build());
    fc.assert(
      fc.property(fc.constantFrom(...paths), mutation, (path, replacement) => {
        parsesOrRefuses(encodeTorrent(setAt(build(), path, replacement)));
      }),
      { numRuns: 1000 },
    );
  });
});

const edgeInteger = fc.constantFrom(-1, 0, 1, 2, 3, 16383, 16384, 2 ** 31, Number.MAX_SAFE_INTEGER, 2n ** 63n, -(2n ** 63n));
const edgeString = fc.constantFrom('', '.', '..', '/', 'a/b', '\\', 'p', 'l', 'x', 'a', 'd', '\0', 'http://t/');
const value: fc.Arbitrary<BEncodable> = fc.letrec<{ value: BEncodable }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    edgeInteger,
    edgeString,
    fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.oneof(edgeString, fc.string({ maxLength: 4 })), tie('value'), { maxKeys: 3 }),
  ),
})).value;
/** A replacement value, or undefined to delete the key. */
const mutation = fc.option(value, { nil: undefined, freq: 5 });

/** Every key/index path to a value in the torrent object (Maps, like piece layers, are replaced whole). */
function valuePaths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const paths: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
  if (Buffer.isBuffer(node) || node instanceof Map || typeof node !== 'object' || node === null) return paths;
  const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
  for (const [key, child] of entries) paths.push(...valuePaths(child, [...prefix, key]));
  return paths;
}
