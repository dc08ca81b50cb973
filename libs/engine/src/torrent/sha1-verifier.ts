import type { HashPool } from '@seedfleet/hashing';
import type { Metainfo } from '@seedfleet/metainfo';
import { TorrentError } from './torrent-types';

/** What the torrent needs to check a piece; storage/'s PieceVerifier has this shape. */
export interface PieceChecker {
  verify(index: number, data: Buffer): Promise<boolean>;
}

/**
 * v1 SHA-1 piece check through the hash pool, for v1 and hybrid torrents (hybrids join v1 swarms).
 * The piece's bytes are transferred to the worker and not usable afterwards: write `data` only after
 * reading it back from the result, as verifyAndKeep does.
 */
export class Sha1Verifier implements PieceChecker {
  private readonly hashes: Buffer;

  constructor(
    metainfo: Metainfo,
    private readonly pool: HashPool,
  ) {
    if (!metainfo.pieces) throw new TorrentError('unsupported', `torrent ${metainfo.name} has no v1 piece hashes (v2-only torrents come later)`);
    this.hashes = metainfo.pieces;
  }

  async verify(index: number, data: Buffer): Promise<boolean> {
    return (await this.verifyAndKeep(index, data)).ok;
  }

  /** Verifies and hands the bytes back (the pool returns the transferred buffer). */
  async verifyAndKeep(index: number, data: Buffer): Promise<{ ok: boolean; data: Buffer }> {
    const result = await this.pool.hash({ kind: 'sha1', data });
    const expected = this.hashes.subarray(index * 20, index * 20 + 20);
    return { ok: result.sha1.equals(expected), data: result.data };
  }
}
