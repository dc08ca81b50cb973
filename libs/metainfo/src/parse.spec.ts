import { createHash } from 'node:crypto';
import { encode } from '@seedfleet/bencode';
import { MetainfoError, parseTorrent } from './index';
import {
  bytes,
  encodeTorrent,
  hybridTorrent,
  pieceLayer,
  piecesRoot,
  setAt,
  type TorrentObject,
  v1Pieces,
  v1Torrent,
  v2Torrent,
} from '../test/torrent-fixtures';

const KiB = 1024;
const sha1 = (data: Buffer) => createHash('sha1').update(data).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();
const info = (torrent: TorrentObject) => torrent.info as TorrentObject;

describe('parseTorrent: v1', () => {
  it('parses a single-file torrent and hashes the raw info dict', () => {
    const data = bytes(40 * KiB);
    const { torrent } = v1Torrent('data.bin', 16 * KiB, [{ path: [], data }], true);
    const metainfo = parseTorrent(encodeTorrent(torrent));
    const infoBytes = encode(info(torrent));

    expect(metainfo.version).toBe('v1');
    expect(metainfo.name).toBe('data.bin');
    expect(metainfo.infoRaw.equals(infoBytes)).toBe(true);
    expect(metainfo.infoHashV1).toEqual(sha1(infoBytes));
    expect(metainfo.infoHashV2).toBeNull();
    expect(metainfo.pieceCount).toBe(3);
    expect(metainfo.totalSize).toBe(40 * KiB);
    expect(metainfo.pieces).toEqual(v1Pieces(data, 16 * KiB));
    expect(metainfo.files).toEqual([{ path: ['data.bin'], length: 40 * KiB, offset: 0, pad: false, attributes: '' }]);
    expect(metainfo.announce).toEqual([['http://tracker.test/announce']]);
    expect(metainfo.urlList).toEqual([]);
    expect(metainfo.private).toBe(false);
    expect(metainfo.pieceLayers.size).toBe(0);
    expect(metainfo.info.get('name')).toEqual(Buffer.from('data.bin'));
  });

  it('reads multi-file layouts, BEP 47 attributes, UTF-8 variants and descriptive fields', () => {
    const { torrent } = v1Torrent('release', 32 * KiB, [
      { path: ['bin', 'tool'], data: bytes(50 * KiB), attr: 'x' },
      { path: ['README'], data: bytes(3, 2), attr: 'hz' },
    ]);
    setAt(torrent, ['info', 'name.utf-8'], 'release-ü');
    setAt(torrent, ['info', 'files', 1, 'path.utf-8'], ['LIES-MICH-ü']);
    setAt(torrent, ['info', 'private'], 1);
    Object.assign(torrent, { comment: 'built by ci', 'created by': 'seedfleet', 'creation date': 1700000000 });

    const metainfo = parseTorrent(encodeTorrent(torrent));

    expect(metainfo.name).toBe('release-ü');
    expect(metainfo.private).toBe(true);
    expect(metainfo.files).toEqual([
      { path: ['bin', 'tool'], length: 50 * KiB, offset: 0, pad: false, attributes: 'x' },
      { path: ['LIES-MICH-ü'], length: 3, offset: 50 * KiB, pad: false, attributes: 'hz' },
    ]);
    expect(metainfo.pieceCount).toBe(2);
    expect(metainfo.totalSize).toBe(50 * KiB + 3);
    expect([metainfo.comment, metainfo.createdBy, metainfo.creationDate]).toEqual(['built by ci', 'seedfleet', 1700000000]);
  });

  it('falls back to the plain name when name.utf-8 is not valid UTF-8', () => {
    const { torrent } = v1Torrent('plain', 16 * KiB, [{ path: [], data: bytes(10) }], true);
    setAt(torrent, ['info', 'name.utf-8'], Buffer.from([0xff, 0xfe]));
    expect(parseTorrent(encodeTorrent(torrent)).name).toBe('plain');
  });

  it('takes tracker tiers from announce-list, dropping blanks, non-strings and repeats', () => {
    const { torrent } = v1Torrent('t', 16 * KiB, [{ path: [], data: bytes(10) }], true);
    torrent['announce-list'] = [
      ['http://a/announce', '', 'http://b/announce', 7],
      ['http://a/announce'],
      'not-a-tier',
      [' udp://c:80 ', ['nested']],
    ];
    expect(parseTorrent(encodeTorrent(torrent)).announce).toEqual([
      ['http://a/announce', 'http://b/announce'],
      ['udp://c:80'],
    ]);
  });

  it('falls back to announce when announce-list has no usable URL', () => {
    const { torrent } = v1Torrent('t', 16 * KiB, [{ path: [], data: bytes(10) }], true);
    torrent['announce-list'] = [[''], []];
    expect(parseTorrent(encodeTorrent(torrent)).announce).toEqual([['http://tracker.test/announce']]);
    delete torrent.announce;
    expect(parseTorrent(encodeTorrent(torrent)).announce).toEqual([]);
  });

  it.each([
    ['a string', 'http://seed/file', ['http://seed/file']],
    ['a list', ['http://a/', 'http://a/', '', 5, 'http://b/'], ['http://a/', 'http://b/']],
    ['an integer', 3, []],
  ])('reads url-list given as %s', (_kind, urlList, expected) => {
    const { torrent } = v1Torrent('t', 16 * KiB, [{ path: [], data: bytes(10) }], true);
    torrent['url-list'] = urlList;
    expect(parseTorrent(encodeTorrent(torrent)).urlList).toEqual(expected);
  });

  it('accepts any positive piece length for v1, and pad files without a path', () => {
    const data = bytes(1000);
    const { torrent } = v1Torrent('odd', 300, [
      { path: ['a'], data: data.subarray(0, 100) },
      { path: ['b'], data: data.subarray(100) },
    ]);
    setAt(torrent, ['info', 'files', 1], { length: 200, attr: 'p' });
    setAt(torrent, ['info', 'files', 2], { length: 900, path: ['b'] });
    setAt(torrent, ['info', 'pieces'], v1Pieces(Buffer.concat([data.subarray(0, 100), Buffer.alloc(200), data.subarray(100)]), 300));

    const metainfo = parseTorrent(encodeTorrent(torrent));

    expect(metainfo.files.map((f) => [f.path, f.offset, f.pad])).toEqual([
      [['a'], 0, false],
      [['.pad', '200'], 100, true],
      [['b'], 300, false],
    ]);
    expect(metainfo.totalSize).toBe(1000);
    expect(metainfo.pieceCount).toBe(4);
  });

  it('reads symlinks (BEP 47) as taking no space', () => {
    const { torrent } = v1Torrent('links', 16 * KiB, [{ path: ['real'], data: bytes(100) }]);
    (info(torrent).files as TorrentObject[]).push({ length: 0, path: ['link'], attr: 'l', 'symlink path': ['real'] });
    const metainfo = parseTorrent(encodeTorrent(torrent));
    expect(metainfo.files[1]).toEqual({ path: ['link'], length: 0, offset: 100, pad: false, attributes: 'l', symlinkPath: ['real'] });
  });
});

describe('parseTorrent: v2', () => {
  const pieceLength = 32 * KiB;
  const big = bytes(100 * KiB, 3); // 4 pieces, 7 blocks
  const small = bytes(20 * KiB, 4); // one piece, two blocks

  it('flattens the file tree with piece-aligned offsets and checks piece layers', () => {
    const { torrent } = v2Torrent('pack', pieceLength, [
      { path: ['a.bin'], data: big },
      { path: ['dir', 'b.bin'], data: small, attr: 'x' },
      { path: ['dir', 'empty'], data: Buffer.alloc(0) },
      { path: ['z.bin'], data: bytes(5, 9) },
    ]);

    const metainfo = parseTorrent(encodeTorrent(torrent), { requirePieceLayers: true });
    const infoBytes = encode(info(torrent));

    expect(metainfo.version).toBe('v2');
    expect(metainfo.infoHashV1).toBeNull();
    expect(metainfo.infoHashV2).toEqual(sha256(infoBytes));
    expect(metainfo.pieces).toBeNull();
    expect(metainfo.files).toEqual([
      { path: ['a.bin'], length: 100 * KiB, offset: 0, pad: false, attributes: '', piecesRoot: piecesRoot(big) },
      { path: ['dir', 'b.bin'], length: 20 * KiB, offset: 128 * KiB, pad: false, attributes: 'x', piecesRoot: piecesRoot(small) },
      { path: ['dir', 'empty'], length: 0, offset: 160 * KiB, pad: false, attributes: '' },
      { path: ['z.bin'], length: 5, offset: 160 * KiB, pad: false, attributes: '', piecesRoot: piecesRoot(bytes(5, 9)) },
    ]);
    expect(metainfo.pieceCount).toBe(6);
    expect(metainfo.totalSize).toBe(120 * KiB + 5);
    expect([...metainfo.pieceLayers]).toEqual([[piecesRoot(big).toString('hex'), pieceLayer(big, pieceLength)]]);
  });

  it('allows missing piece layers (magnet joins) unless they are required', () => {
    const { torrent } = v2Torrent('pack', pieceLength, [{ path: ['a.bin'], data: big }]);
    delete torrent['piece layers'];
    expect(parseTorrent(encodeTorrent(torrent)).pieceLayers.size).toBe(0);
    expect(() => parseTorrent(encodeTorrent(torrent), { requirePieceLayers: true })).toThrow(
      expect.objectContaining({ field: `piece layers.${piecesRoot(big).toString('hex')}` }),
    );
  });

  it('uses a single-file tree entry as the file path', () => {
    const { torrent } = v2Torrent('one.bin', 16 * KiB, [{ path: ['one.bin'], data: small }]);
    const metainfo = parseTorrent(encodeTorrent(torrent));
    expect(metainfo.files.map((f) => f.path)).toEqual([['one.bin']]);
    expect(metainfo.pieceLayers.get(piecesRoot(small).toString('hex'))).toEqual(pieceLayer(small, 16 * KiB));
  });

  it('reads v2 symlinks without a pieces root', () => {
    const { torrent } = v2Torrent('pack', pieceLength, [{ path: ['a.bin'], data: small }]);
    setAt(torrent, ['info', 'file tree', 'link'], { '': { attr: 'l', 'symlink path': ['a.bin'] } });
    const metainfo = parseTorrent(encodeTorrent(torrent));
    expect(metainfo.files[1]).toEqual({ path: ['link'], length: 0, offset: 32 * KiB, pad: false, attributes: 'l', symlinkPath: ['a.bin'] });
  });
});

describe('parseTorrent: hybrid', () => {
  const pieceLength = 16 * KiB;
  const files = [
    { path: ['a'], data: bytes(40 * KiB, 5) },
    { path: ['b'], data: bytes(1000, 6) },
    { path: ['c'], data: bytes(17 * KiB, 7) },
  ];

  it('checks the v1 list against the file tree and attaches the pieces roots', () => {
    const { torrent, space } = hybridTorrent('mix', pieceLength, files);
    const metainfo = parseTorrent(encodeTorrent(torrent), { requirePieceLayers: true });
    const infoBytes = encode(info(torrent));

    expect(metainfo.version).toBe('hybrid');
    expect(metainfo.infoHashV1).toEqual(sha1(infoBytes));
    expect(metainfo.infoHashV2).toEqual(sha256(infoBytes));
    expect(metainfo.pieces).toEqual(v1Pieces(space, pieceLength));
    expect(metainfo.files.map((f) => [f.path.join('/'), f.offset, f.length, f.pad, f.piecesRoot?.toString('hex')])).toEqual([
      ['a', 0, 40 * KiB, false, piecesRoot(files[0].data).toString('hex')],
      ['.pad/8192', 40 * KiB, 8 * KiB, true, undefined],
      ['b', 48 * KiB, 1000, false, piecesRoot(files[1].data).toString('hex')],
      ['.pad/15384', 48 * KiB + 1000, 15384, true, undefined],
      ['c', 64 * KiB, 17 * KiB, false, piecesRoot(files[2].data).toString('hex')],
    ]);
    expect(metainfo.pieceCount).toBe(6);
    expect(metainfo.totalSize).toBe(57 * KiB + 1000);
    expect(metainfo.pieceLayers.size).toBe(2);
  });

  it('accepts a trailing pad file after the last file', () => {
    const { torrent } = hybridTorrent('mix', pieceLength, files);
    const list = info(torrent).files as TorrentObject[];
    list.push({ length: 15 * KiB, path: ['.pad', '15360'], attr: 'p' });
    const space = Buffer.concat([...list.map((f, i) => (i % 2 === 1 ? Buffer.alloc(f.length as number) : files[i / 2].data))]);
    info(torrent).pieces = v1Pieces(space, pieceLength);
    expect(parseTorrent(encodeTorrent(torrent)).files).toHaveLength(6);
  });
});

describe('parseTorrent rejects', () => {
  const v1 = () => v1Torrent('t', 16 * KiB, [{ path: ['a'], data: bytes(20 * KiB) }, { path: ['b'], data: bytes(10) }]).torrent;
  const v1Single = () => v1Torrent('t', 16 * KiB, [{ path: [], data: bytes(20 * KiB) }], true).torrent;
  const bigFile = bytes(100 * KiB, 3);
  const v2 = () => v2Torrent('t', 32 * KiB, [{ path: ['a'], data: bigFile }, { path: ['d', 'b'], data: bytes(10) }]).torrent;
  const hybrid = () => hybridTorrent('t', 16 * KiB, [{ path: ['a'], data: bytes(20 * KiB) }, { path: ['b'], data: bytes(10) }]).torrent;
  const layerField = `piece layers.${piecesRoot(bigFile).toString('hex')}`;
  const layerKey = piecesRoot(bigFile);
  const withLayer = (layer: Buffer) => (t: TorrentObject) => setAt(t, ['piece layers'], new Map([[layerKey, layer]]));
  const withFile = (entry: TorrentObject) => (t: TorrentObject) => (info(t).files as TorrentObject[]).push(entry);

  type Case = [string, () => TorrentObject, (t: TorrentObject) => unknown, string, RegExp];
  const cases: Case[] = [
    ['a root that is not a dict', v1, (t) => setAt(t, ['info'], undefined) && Object.assign(t, { info: 5 }), 'info', /must be a dictionary/],
    ['a missing info dict', v1, (t) => setAt(t, ['info'], undefined), 'info', /is missing/],
    ['a missing name', v1, (t) => setAt(t, ['info', 'name'], undefined), 'info.name', /is missing/],
    ['an empty name', v1, (t) => setAt(t, ['info', 'name'], ''), 'info.name', /must not be empty/],
    ['a name that is ..', v1, (t) => setAt(t, ['info', 'name'], '..'), 'info.name', /'\.\.' is not allowed/],
    ['a name with a slash', v1, (t) => setAt(t, ['info', 'name'], 'a/b'), 'info.name', /must not contain '\/'/],
    ['an absolute name', v1, (t) => setAt(t, ['info', 'name'], '/etc'), 'info.name', /must not contain '\/'/],
    ['a name with a backslash', v1, (t) => setAt(t, ['info', 'name'], '..\\x'), 'info.name', /must not contain/],
    ['a name with NUL', v1, (t) => setAt(t, ['info', 'name'], 'a\0b'), 'info.name', /NUL/],
    ['a bad name.utf-8', v1, (t) => setAt(t, ['info', 'name.utf-8'], '.'), 'info.name.utf-8', /'\.' is not allowed/],
    ['a missing piece length', v1, (t) => setAt(t, ['info', 'piece length'], undefined), 'info.piece length', /is missing/],
    ['a zero piece length', v1, (t) => setAt(t, ['info', 'piece length'], 0), 'info.piece length', /between 1 and/],
    ['a negative piece length', v1, (t) => setAt(t, ['info', 'piece length'], -16384), 'info.piece length', /must not be negative/],
    ['a string piece length', v1, (t) => setAt(t, ['info', 'piece length'], '16384'), 'info.piece length', /must be an integer/],
    ['a huge piece length', v1, (t) => setAt(t, ['info', 'piece length'], 2n ** 60n), 'info.piece length', /larger than/],
    ['pieces not a multiple of 20', v1, (t) => setAt(t, ['info', 'pieces'], Buffer.alloc(41)), 'info.pieces', /not a multiple of 20/],
    ['too few pieces', v1, (t) => setAt(t, ['info', 'pieces'], Buffer.alloc(20)), 'info.pieces', /has 1 hashes but the files need 2 pieces/],
    ['too many pieces', v1Single, (t) => setAt(t, ['info', 'pieces'], Buffer.alloc(60)), 'info.pieces', /has 3 hashes but the files need 2/],
    ['missing pieces', v1, (t) => setAt(t, ['info', 'pieces'], undefined), 'info.pieces', /is missing/],
    ['a missing single-file length', v1Single, (t) => setAt(t, ['info', 'length'], undefined), 'info.length', /is missing/],
    ['an empty file list', v1, (t) => setAt(t, ['info', 'files'], []), 'info.files', /at least one file/],
    ['a file list that is not a list', v1, (t) => setAt(t, ['info', 'files'], 'x'), 'info.files', /must be a list/],
    ['a file entry that is not a dict', v1, (t) => setAt(t, ['info', 'files', 1], 3), 'info.files[1]', /must be a dictionary/],
    ['a negative file length', v1, (t) => setAt(t, ['info', 'files', 1, 'length'], -1), 'info.files[1].length', /must not be negative/],
    ['an unsafe file length', v1, (t) => setAt(t, ['info', 'files', 1, 'length'], 2n ** 53n), 'info.files[1].length', /larger than/],
    ['a total past 2^53', v1, (t) => setAt(t, ['info', 'files', 1, 'length'], Number.MAX_SAFE_INTEGER), 'info.files[1].length', /total size exceeds/],
    ['a missing path', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], undefined), 'info.files[0].path', /is missing/],
    ['an empty path', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], []), 'info.files[0].path', /must not be empty/],
    ['a .. path component', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], ['..', 'etc', 'passwd']), 'info.files[0].path', /'\.\.' is not allowed/],
    ['a . path component', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], ['.', 'a']), 'info.files[0].path', /'\.' is not allowed/],
    ['an empty path component', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], ['', 'etc']), 'info.files[0].path', /must not be empty/],
    ['a slash in a component', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], ['/etc/passwd']), 'info.files[0].path', /must not contain '\/'/],
    ['a non-string component', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], [1]), 'info.files[0].path[0]', /must be a byte string/],
    ['a bad path.utf-8', v1, (t) => setAt(t, ['info', 'files', 0, 'path.utf-8'], ['..']), 'info.files[0].path.utf-8', /not allowed/],
    ['duplicate paths', v1, (t) => setAt(t, ['info', 'files', 1, 'path'], ['a']), 'info.files[1].path', /"a" appears more than once/],
    ['a file used as a directory', v1, (t) => setAt(t, ['info', 'files', 1, 'path'], ['a', 'x']), 'info.files[1].path', /needs "a" to be a directory/],
    ['a directory used as a file', v1, (t) => setAt(t, ['info', 'files', 0, 'path'], ['b', 'x']) && setAt(t, ['info', 'files', 1, 'path'], ['b']), 'info.files[1].path', /"b" appears more than once/],
    ['a symlink without a target', v1, withFile({ length: 0, path: ['l'], attr: 'l' }), 'info.files[2].symlink path', /is missing/],
    ['a symlink escaping the root', v1, withFile({ length: 0, path: ['l'], attr: 'l', 'symlink path': ['..', 'etc'] }), 'info.files[2].symlink path', /not allowed/],
    ['an attr that is not a string', v1, (t) => setAt(t, ['info', 'files', 0, 'attr'], 1), 'info.files[0].attr', /must be a byte string/],
    ['only empty files', v1, (t) => setAt(t, ['info', 'files'], [{ length: 0, path: ['x'] }]) && setAt(t, ['info', 'pieces'], Buffer.alloc(0)), 'info', /holds no data/],
    ['a file tree without meta version', v1, (t) => setAt(t, ['info', 'file tree'], {}), 'info.meta version', /is missing/],
    ['meta version 3', v2, (t) => setAt(t, ['info', 'meta version'], 3), 'info.meta version', /unsupported version 3, expected 2/],
    ['a string meta version', v2, (t) => setAt(t, ['info', 'meta version'], '2'), 'info.meta version', /must be an integer, got a byte string/],
    ['a v2 piece length below 16 KiB', v2, (t) => setAt(t, ['info', 'piece length'], 8192), 'info.piece length', /^info\.piece length: must be a power of two >= 16384 for v2 torrents/],
    ['a v2 piece length not a power of two', v2, (t) => setAt(t, ['info', 'piece length'], 48 * KiB), 'info.piece length', /power of two/],
    ['a missing file tree', v2, (t) => setAt(t, ['info', 'file tree'], undefined), 'info.file tree', /is missing/],
    ['an empty file tree', v2, (t) => setAt(t, ['info', 'file tree'], {}), 'info.file tree', /at least one file/],
    ['a file at the tree root', v2, (t) => setAt(t, ['info', 'file tree'], { '': { length: 1 } }), 'info.file tree', /root cannot be a file/],
    ['a leaf with siblings', v2, (t) => setAt(t, ['info', 'file tree', 'a', 'x'], {}), 'info.file tree.a', /must be the only key/],
    ['an empty directory', v2, (t) => setAt(t, ['info', 'file tree', 'e'], {}), 'info.file tree.e', /directory is empty/],
    ['a tree node that is not a dict', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b'], 1), 'info.file tree.d/b', /must be a dictionary/],
    ['a .. key in the tree', v2, (t) => setAt(t, ['info', 'file tree', '..'], { x: { '': { length: 1 } } }), 'info.file tree', /'\.\.' is not allowed/],
    ['a missing v2 length', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b', '', 'length'], undefined), 'info.file tree.d/b.length', /is missing/],
    ['a negative v2 length', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b', '', 'length'], -5), 'info.file tree.d/b.length', /must not be negative/],
    ['a missing pieces root', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b', '', 'pieces root'], undefined), 'info.file tree.d/b.pieces root', /is missing/],
    ['a short pieces root', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b', '', 'pieces root'], Buffer.alloc(20)), 'info.file tree.d/b.pieces root', /must be 32 bytes, got 20/],
    ['a pad file in a v2 tree', v2, (t) => setAt(t, ['info', 'file tree', 'd', 'b', '', 'attr'], 'p'), 'info.file tree.d/b.attr', /no pad files/],
    ['piece layers that are not a dict', v2, (t) => setAt(t, ['piece layers'], []), 'piece layers', /must be a dictionary/],
    ['a piece layer that is not a string', v2, (t) => setAt(t, ['piece layers'], new Map([[layerKey, 5]])), layerField, /must be a byte string/],
    ['a piece layer not a multiple of 32', v2, withLayer(Buffer.alloc(97)), layerField, /not a multiple of 32/],
    ['a piece layer of the wrong length', v2, withLayer(Buffer.alloc(96)), layerField, /is 96 bytes but "a" has 4 pieces \(128 bytes\)/],
    ['a piece layer that does not hash to the root', v2, withLayer(Buffer.alloc(128)), layerField, /does not hash to the pieces root of "a"/],
    ['a hybrid file count mismatch', hybrid, withFile({ length: 1, path: ['c'] }), 'info.files', /lists 3 files .* file tree has 2/],
    ['a hybrid path mismatch', hybrid, (t) => setAt(t, ['info', 'files', 2, 'path'], ['c']), 'info.files[2].path', /"c" differs from the file tree's "b"/],
    ['a hybrid length mismatch', hybrid, (t) => setAt(t, ['info', 'files', 2, 'length'], 11), 'info.files[2].length', /11 differs from the file tree's 10/],
    ['a hybrid attribute mismatch', hybrid, (t) => setAt(t, ['info', 'files', 2, 'attr'], 'x'), 'info.files[2].attr', /attributes differ/],
    ['a hybrid without pad files', hybrid, (t) => setAt(t, ['info', 'files'], (info(t).files as TorrentObject[]).filter((f) => f.attr !== 'p')), 'info.files[1]', /starts at byte 20480 but v2 places it at 32768/],
    ['a hybrid with a pad of a whole extra piece', hybrid, withFile({ length: 32 * KiB, path: ['.pad', 'x'], attr: 'p' }), 'info.files', /v1 layout has 5 pieces but the file tree 3/],
  ];

  it.each(cases)('%s', (_name, build, mutate, field, message) => {
    const torrent = build();
    mutate(torrent);
    const error = captureError(() => parseTorrent(encodeTorrent(torrent)));
    expect(error).toBeInstanceOf(MetainfoError);
    expect({ field: (error as MetainfoError).field, message: (error as MetainfoError).message }).toEqual({
      field,
      message: expect.stringMatching(message),
    });
    expect((error as MetainfoError).message.startsWith(`${field}: `)).toBe(true);
  });

  it.each([
    ['garbage', Buffer.from('not bencode'), 'torrent', /is not valid bencode/],
    ['a truncated file', encodeTorrent(v1()).subarray(0, 50), 'torrent', /is not valid bencode/],
    ['a list at the root', Buffer.from('le'), 'torrent', /must be a dictionary, got a list/],
  ])('%s', (_name, input, field, message) => {
    expect(() => parseTorrent(input)).toThrow(expect.objectContaining({ name: 'MetainfoError', field, message: expect.stringMatching(message) }));
  });

  it('refuses a v2 info dict whose keys are out of order', () => {
    const valid = encodeTorrent(v2());
    const raw = valid.toString('latin1');
    // Swap the order of "name" and "piece length" inside the info dict.
    const name = '4:namei1e'.replace('i1e', '1:t');
    const pieceLength = `12:piece lengthi${32 * KiB}e`;
    const reordered = raw.replace(`${name}${pieceLength}`, `${pieceLength}${name}`);
    expect(reordered).not.toBe(raw);
    expect(() => parseTorrent(Buffer.from(reordered, 'latin1'))).toThrow(
      expect.objectContaining({ field: 'info', message: expect.stringMatching(/sorted and unique/) }),
    );
  });

  it('enforces the size and piece-count limits', () => {
    const input = encodeTorrent(v1());
    expect(() => parseTorrent(input, { maxBytes: input.length - 1 })).toThrow(expect.objectContaining({ field: 'torrent' }));
    expect(() => parseTorrent(input, { maxPieces: 1 })).toThrow(
      expect.objectContaining({ field: 'info.piece length', message: expect.stringMatching(/need 2 pieces, more than the 1 allowed/) }),
    );
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
