import { HashPool } from '@seedfleet/hashing';
import { createTempDir, type TempDir } from '@seedfleet/testing';
import { PieceVerifier } from './piece-verifier';
import { type TorrentSpec, torrentOnDisk } from './testing/torrent-on-disk';

let pool: HashPool;
let dir: TempDir;
beforeAll(() => (pool = new HashPool({ size: 2 })));
afterAll(() => pool.close());
beforeEach(async () => (dir = await createTempDir('seedfleet-verifier-')));
afterEach(() => dir.remove());

// A multi-piece file (piece layer), a file of less than one piece (root only) and an odd tail.
const spec = (version: TorrentSpec['version']): TorrentSpec => ({
  name: 'v',
  version,
  pieceLength: 32768,
  files: [
    { path: 'big', size: 100_000 },
    { path: 'small', size: 20_000 },
    { path: 'tiny', size: 1 },
  ],
});

describe('PieceVerifier', () => {
  it.each(['v1', 'hybrid', 'v2'] as const)('%s: every genuine piece verifies, a flipped byte or a wrong length does not', async (version) => {
    const torrent = await torrentOnDisk(dir.path, spec(version), pool);
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    for (const [index, piece] of torrent.pieces.entries()) {
      expect(await verifier.verify(index, Buffer.from(piece))).toBe(true);
      const corrupt = Buffer.from(piece);
      corrupt[corrupt.length >> 1] ^= 1;
      expect(await verifier.verify(index, corrupt)).toBe(false);
      expect(await verifier.verify(index, Buffer.concat([piece, Buffer.alloc(1)]))).toBe(false);
    }
  });

  it('v2: a piece of a file whose layer is missing does not verify; single-piece files still do', async () => {
    const torrent = await torrentOnDisk(dir.path, spec('v2'), pool);
    const verifier = new PieceVerifier({ ...torrent.metainfo, pieceLayers: new Map() }, pool);
    const results = await Promise.all(torrent.pieces.map((piece, index) => verifier.verify(index, Buffer.from(piece))));
    // big: 4 pieces (layer needed); small and tiny: one piece each, checked against their pieces roots.
    expect(results).toEqual([false, false, false, false, true, true]);
  });

  it('verifyAndKeep hands the bytes back after the pool took them', async () => {
    const torrent = await torrentOnDisk(dir.path, spec('v1'), pool);
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    const piece = Buffer.alloc(torrent.pieces[0].length);
    torrent.pieces[0].copy(piece);
    const { ok, data } = await verifier.verifyAndKeep(0, piece);
    expect(ok).toBe(true);
    expect(data.equals(torrent.pieces[0])).toBe(true);
  });

  it('refuses a piece index outside the torrent', async () => {
    const torrent = await torrentOnDisk(dir.path, spec('v1'), pool);
    const verifier = new PieceVerifier(torrent.metainfo, pool);
    await expect(verifier.verify(torrent.metainfo.pieceCount, Buffer.alloc(1))).rejects.toThrow(RangeError);
  });
});
