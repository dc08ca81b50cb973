import { decode } from '@seedfleet/bencode';
import { HashPool } from '@seedfleet/hashing';
import { parseTorrent } from '../parse';
import { CreateTorrentError } from './create-error';
import type { CreateSourceFile } from './create-options';
import { createTorrent } from './create-torrent';
import { choosePieceLength } from './piece-length';
import { bytesOf, memoryFile, naivePiecesRoot, sha1, v1Pieces } from './test-sources';

const KiB = 1024;
const PIECE = 16 * KiB;

describe('createTorrent', () => {
  let pool: HashPool;
  beforeAll(() => (pool = new HashPool({ size: 2 })));
  afterAll(() => pool.close());

  it('v1 single file: exactly the keys mktorrent writes, SHA-1 per piece', async () => {
    const data = bytesOf(100_000, 1);
    const created = await createTorrent([memoryFile([], data)], { version: 'v1', pieceLength: 32 * KiB, name: 'app.bin', pool });
    const torrent = decode(created.torrent).value as Map<string, unknown>;
    expect([...torrent.keys()]).toEqual(['info']);
    const info = torrent.get('info') as Map<string, unknown>;
    expect([...info.keys()]).toEqual(['length', 'name', 'piece length', 'pieces']);
    expect(info.get('pieces')).toEqual(v1Pieces(data, 32 * KiB));
    expect(created).toMatchObject({ version: 'v1', pieceCount: 4, totalSize: 100_000, infoHashV2: null });
    expect(created.infoHashV1).toEqual(parseTorrent(created.torrent).infoHashV1);
  });

  it('v1 multi-file: mktorrent order (whole path), pieces span files, no pad files', async () => {
    const files = { 'a/b': bytesOf(20_000, 2), 'a.txt': bytesOf(5_000, 3), a0: bytesOf(30_000, 4) };
    const sources = Object.entries(files).map(([path, bytes]) => memoryFile(path.split('/'), bytes));
    const metainfo = parseTorrent((await createTorrent(sources, { version: 'v1', pieceLength: PIECE, name: 'd', pool })).torrent);
    expect(metainfo.files.map((file) => file.path.join('/'))).toEqual(['a.txt', 'a/b', 'a0']);
    expect(metainfo.pieces).toEqual(v1Pieces(Buffer.concat([files['a.txt'], files['a/b'], files.a0]), PIECE));
  });

  it('hybrid: libtorrent order and pad files after every non-empty file not ending on a boundary, the last included', async () => {
    const files: Record<string, Buffer> = {
      'é.txt': bytesOf(7, 5),
      'a b': bytesOf(PIECE, 6), // ends exactly on a piece boundary: no pad
      'a/b': bytesOf(40_000, 7),
      'empty.txt': Buffer.alloc(0), // no pad, no pieces root
      B: bytesOf(3 * PIECE + 1, 8),
    };
    const sources = Object.entries(files).map(([path, bytes]) => memoryFile(path.split('/'), bytes));
    const created = await createTorrent(sources, { pieceLength: PIECE, name: 'd', pool });
    const metainfo = parseTorrent(created.torrent, { requirePieceLayers: true });
    expect(metainfo.version).toBe('hybrid');
    expect(metainfo.files.map((file) => [file.path.join('/'), file.length, file.attributes])).toEqual([
      ['B', 3 * PIECE + 1, ''],
      ['.pad/16383', 16383, 'p'],
      ['a/b', 40_000, ''],
      ['.pad/9152', 9152, 'p'],
      ['a b', PIECE, ''],
      ['empty.txt', 0, ''],
      ['é.txt', 7, ''],
      ['.pad/16377', 16377, 'p'],
    ]);
    const padded = (bytes: Buffer): Buffer => Buffer.concat([bytes, Buffer.alloc((PIECE - (bytes.length % PIECE)) % PIECE)]);
    expect(metainfo.pieces).toEqual(v1Pieces(Buffer.concat([padded(files.B), padded(files['a/b']), files['a b'], padded(files['é.txt'])]), PIECE));
    for (const file of metainfo.files.filter((entry) => !entry.pad)) {
      const bytes = files[file.path.join('/')];
      expect(file.piecesRoot).toEqual(bytes.length > 0 ? naivePiecesRoot(bytes) : undefined);
    }
    // Piece layers only for files longer than one piece.
    expect([...metainfo.pieceLayers.keys()].sort()).toEqual([naivePiecesRoot(files.B), naivePiecesRoot(files['a/b'])].map((root) => root.toString('hex')).sort());
    expect(created.pieceCount).toBe(9);
  });

  it('hybrid of one file in a directory: a file list without pad files, as libtorrent', async () => {
    const metainfo = parseTorrent((await createTorrent([memoryFile(['only'], bytesOf(100, 9))], { pieceLength: PIECE, name: 'd', pool })).torrent);
    expect(metainfo.files.map((file) => file.path)).toEqual([['only']]);
    expect(metainfo.info.has('files')).toBe(true);
  });

  it('v2: file tree and piece layers only, each file piece-aligned, roots as BEP 52 defines them', async () => {
    const big = bytesOf(5 * PIECE + 300, 10);
    const small = bytesOf(3 * PIECE, 11);
    const created = await createTorrent([memoryFile(['big'], big), memoryFile(['sub', 'small'], small)], { version: 'v2', pieceLength: 2 * PIECE, name: 'd', pool });
    const metainfo = parseTorrent(created.torrent, { requirePieceLayers: true });
    expect(metainfo.info.has('files')).toBe(false);
    expect(metainfo.info.has('pieces')).toBe(false);
    expect(metainfo.files.map((file) => [file.path.join('/'), file.offset, file.piecesRoot])).toEqual([
      ['big', 0, naivePiecesRoot(big)],
      ['sub/small', 6 * PIECE, naivePiecesRoot(small)],
    ]);
    expect(created).toMatchObject({ infoHashV1: null, pieceCount: 5 });
  });

  it('a file of at most one piece has a pieces root over its own blocks and no piece layer', async () => {
    const data = bytesOf(3 * PIECE + 5, 12);
    const metainfo = parseTorrent((await createTorrent([memoryFile([], data)], { version: 'v2', pieceLength: 4 * PIECE, name: 'f', pool })).torrent);
    expect(metainfo.files[0].piecesRoot).toEqual(naivePiecesRoot(data));
    expect(metainfo.pieceLayers.size).toBe(0);
  });

  it('is deterministic: same bytes whatever the chunking, file order given or pool', async () => {
    const make = (chunk: number, reversed: boolean, hashPool?: HashPool) => {
      const sources = [memoryFile(['x'], bytesOf(50_000, 13), chunk), memoryFile(['y', 'z'], bytesOf(20_000, 14), chunk)];
      return createTorrent(reversed ? sources.reverse() : sources, { pieceLength: PIECE, name: 'd', pool: hashPool, trackers: [['http://t/a']], createdBy: 'seedfleet', creationDate: 1_700_000_000 });
    };
    const [first, second, third] = await Promise.all([make(1000, false, pool), make(65_536, true, pool), make(1, false)]);
    expect(second.torrent).toEqual(first.torrent);
    expect(third.torrent).toEqual(first.torrent);
  });

  it('writes top-level fields like libtorrent and mktorrent, private in the info dict', async () => {
    const created = await createTorrent([memoryFile([], bytesOf(10, 15))], {
      version: 'v1', name: 'f', pool, private: true, comment: 'hi', createdBy: 'me', creationDate: 5,
      trackers: [['http://a/1', 'http://a/2'], ['http://b/1']], webSeeds: ['http://w/'],
    });
    const metainfo = parseTorrent(created.torrent);
    expect(metainfo).toMatchObject({ private: true, comment: 'hi', createdBy: 'me', creationDate: 5, urlList: ['http://w/'] });
    expect(metainfo.announce).toEqual([['http://a/1', 'http://a/2'], ['http://b/1']]);
    const single = decode((await createTorrent([memoryFile([], bytesOf(10, 15))], { name: 'f', pool, trackers: [['http://a/1']] })).torrent).value as Map<string, unknown>;
    expect(single.has('announce-list')).toBe(false);
  });

  it('keeps executable and symlink attributes (BEP 47)', async () => {
    const sources: CreateSourceFile[] = [memoryFile(['run.sh'], bytesOf(10, 16), 10, { attributes: 'x' }), { path: ['link'], length: 0, symlinkPath: ['run.sh'], open: async function* () {} }];
    const metainfo = parseTorrent((await createTorrent(sources, { name: 'd', pool })).torrent);
    const byPath = new Map(metainfo.files.map((file) => [file.path.join('/'), file]));
    expect(byPath.get('run.sh')?.attributes).toBe('x');
    expect(byPath.get('link')).toMatchObject({ attributes: 'l', symlinkPath: ['run.sh'], length: 0 });
  });

  it('reports progress up to the total, pad bytes not counted', async () => {
    const seen: number[] = [];
    await createTorrent([memoryFile(['a'], bytesOf(40_000, 17)), memoryFile(['b'], bytesOf(10, 18))], {
      pieceLength: PIECE, name: 'd', pool, onProgress: ({ hashedBytes, totalBytes }) => seen.push(hashedBytes / totalBytes),
    });
    expect(seen.length).toBe(4);
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });

  it('reads ahead only a bounded number of pieces', async () => {
    const small = new HashPool({ size: 1, maxPending: 2 });
    let read = 0;
    let maxAhead = 0;
    let hashed = 0;
    const data = bytesOf(64 * PIECE, 19);
    const source: CreateSourceFile = {
      path: [], length: data.length,
      async *open() {
        for (let offset = 0; offset < data.length; offset += 4096) {
          read += 4096;
          maxAhead = Math.max(maxAhead, read - hashed);
          yield data.subarray(offset, offset + 4096);
        }
      },
    };
    await createTorrent([source], { version: 'v1', pieceLength: PIECE, name: 'f', pool: small, onProgress: (progress) => (hashed = progress.hashedBytes) });
    await small.close();
    // Two pieces hashing, one being filled, and the chunk in hand.
    expect(maxAhead).toBeLessThanOrEqual(3 * PIECE + 4096);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const created = createTorrent([memoryFile([], bytesOf(64 * PIECE, 20), 4096)], {
      version: 'v1', pieceLength: PIECE, name: 'f', pool, signal: controller.signal,
      onProgress: () => controller.abort(new Error('stop')),
    });
    await expect(created).rejects.toThrow('stop');
  });

  it.each([
    ['a source shorter than declared', [{ ...memoryFile(['a'], bytesOf(10, 21)), length: 11 }], {}, /ended after 10 of its declared 11 bytes/],
    ['a source longer than declared', [{ ...memoryFile(['a'], bytesOf(10, 21)), length: 9 }], {}, /more than its declared 9 bytes/],
    ['no data', [memoryFile(['a'], Buffer.alloc(0))], {}, /no data/],
    ['no files', [], {}, /at least one file/],
    ['a piece length that is not a power of two', [memoryFile(['a'], bytesOf(10, 21))], { pieceLength: 20_000 }, /power of two/],
    ['a piece length under 16 KiB', [memoryFile(['a'], bytesOf(10, 21))], { pieceLength: 8192 }, /16 KiB/],
    ['a duplicate path', [memoryFile(['a'], bytesOf(1, 1)), memoryFile(['a'], bytesOf(1, 2))], {}, /more than once/],
    ['a file where a directory is needed', [memoryFile(['a'], bytesOf(1, 1)), memoryFile(['a', 'b'], bytesOf(1, 2))], {}, /directory/],
    ['a ".." component', [memoryFile(['..', 'a'], bytesOf(1, 1))], {}, /not allowed/],
    ['an empty path among several files', [memoryFile([], bytesOf(1, 1)), memoryFile(['b'], bytesOf(1, 2))], {}, /empty path/],
    ['a pad attribute from the caller', [memoryFile(['a'], bytesOf(1, 1), 1, { attributes: 'p' })], {}, /attributes/],
    ['an unknown version', [memoryFile(['a'], bytesOf(1, 1))], { version: 'v3' }, /version/],
  ])('refuses %s with a CreateTorrentError', async (_, sources, options, message) => {
    const attempt = createTorrent(sources as CreateSourceFile[], { name: 'd', pool, ...(options as object) });
    await expect(attempt).rejects.toBeInstanceOf(CreateTorrentError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('leaves no worker running when it made its own pool', async () => {
    const created = await createTorrent([memoryFile([], bytesOf(10, 22))], { name: 'f' });
    expect(sha1(Buffer.from(parseTorrent(created.torrent).infoRaw))).toEqual(created.infoHashV1);
  });
});

describe('choosePieceLength', () => {
  it.each([
    [1, 16 * KiB],
    [2000 * 16 * KiB, 16 * KiB],
    [2000 * 16 * KiB + 1, 32 * KiB],
    [1024 ** 3, 1024 * KiB],
    [4 * 1024 ** 3, 4096 * KiB],
    [1024 ** 4, 16 * 1024 * KiB],
  ])('%i bytes -> %i', (size, expected) => {
    expect(choosePieceLength(size)).toBe(expected);
    if (expected > 16 * KiB && expected < 16 * 1024 * KiB) expect(Math.ceil(size / expected)).toBeGreaterThan(1000);
  });
});
