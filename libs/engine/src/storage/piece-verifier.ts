import type { HashPool } from '@seedfleet/hashing';
import { BLOCK_SIZE, type Metainfo, nextPowerOfTwo, pieceSize, v2PieceLocation } from '@seedfleet/metainfo';

const SHA1_SIZE = 20;
const SHA256_SIZE = 32;

/** What one piece must hash to. */
type Expectation =
  | { readonly kind: 'sha1'; readonly hash: Buffer }
  | { readonly kind: 'v2'; readonly hash: Buffer; readonly width: number }
  | { readonly kind: 'unknown' };

/**
 * Checks a piece against the torrent's hashes on the hash pool (off the event loop): SHA-1 for v1 and
 * hybrid torrents (hybrids live in v1 swarms), the BEP 52 merkle subtree for v2-only torrents, against
 * the file's piece layer or, for a file of one piece or less, its pieces root. A v2 piece whose layer is
 * not known (yet) does not verify.
 *
 * The piece's bytes are transferred to a worker and unusable afterwards; verifyAndKeep hands them back.
 */
export class PieceVerifier {
  constructor(
    private readonly metainfo: Metainfo,
    private readonly pool: HashPool,
  ) {}

  async verify(index: number, data: Buffer): Promise<boolean> {
    return (await this.verifyAndKeep(index, data)).ok;
  }

  async verifyAndKeep(index: number, data: Buffer, signal?: AbortSignal): Promise<{ ok: boolean; data: Buffer }> {
    const expected = this.expectation(index);
    if (expected.kind === 'unknown' || data.length !== pieceSize(this.metainfo, index)) return { ok: false, data };
    if (expected.kind === 'sha1') {
      const result = await this.pool.hash({ kind: 'sha1', data }, signal);
      return { ok: result.sha1.equals(expected.hash), data: result.data };
    }
    const result = await this.pool.hash({ kind: 'v2', data, width: expected.width }, signal);
    return { ok: result.root.equals(expected.hash), data: result.data };
  }

  private expectation(index: number): Expectation {
    if (!Number.isInteger(index) || index < 0 || index >= this.metainfo.pieceCount) {
      throw new RangeError(`piece ${index} is outside [0, ${this.metainfo.pieceCount})`);
    }
    const { pieces, pieceLength } = this.metainfo;
    if (pieces !== null) return { kind: 'sha1', hash: pieces.subarray(index * SHA1_SIZE, (index + 1) * SHA1_SIZE) };
    const { fileIndex, filePiece } = v2PieceLocation(this.metainfo, index);
    const file = this.metainfo.files[fileIndex];
    if (file.piecesRoot === undefined) return { kind: 'unknown' };
    // A file of at most one piece has no layer: its pieces root is the tree over just its own blocks.
    if (file.length <= pieceLength) return { kind: 'v2', hash: file.piecesRoot, width: nextPowerOfTwo(Math.ceil(file.length / BLOCK_SIZE)) };
    const layer = this.metainfo.pieceLayers.get(file.piecesRoot.toString('hex'));
    if (layer === undefined) return { kind: 'unknown' };
    return { kind: 'v2', hash: layer.subarray(filePiece * SHA256_SIZE, (filePiece + 1) * SHA256_SIZE), width: pieceLength / BLOCK_SIZE };
  }
}
