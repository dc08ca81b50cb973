import type { TorrentVersion } from '../model';
import { CreateTorrentError } from './create-error';

export const MIN_PIECE_LENGTH = 16 * 1024;
export const MAX_PIECE_LENGTH = 256 * 1024 * 1024;
const MAX_AUTO_PIECE_LENGTH = 16 * 1024 * 1024;
const TARGET_MAX_PIECES = 2000;

/** The smallest power of two from 16 KiB to 16 MiB giving at most 2,000 pieces (so 1,000 to 2,000 when not clamped). */
export function choosePieceLength(totalSize: number): number {
  let pieceLength = MIN_PIECE_LENGTH;
  while (pieceLength < MAX_AUTO_PIECE_LENGTH && Math.ceil(totalSize / pieceLength) > TARGET_MAX_PIECES) pieceLength *= 2;
  return pieceLength;
}

/** A given piece length: a power of two from 16 KiB (BEP 52's minimum, also libtorrent's) to 256 MiB. */
export function checkPieceLength(pieceLength: number, version: TorrentVersion): number {
  if (!Number.isSafeInteger(pieceLength) || !Number.isInteger(Math.log2(pieceLength))) {
    throw new CreateTorrentError('pieceLength', `must be a power of two, got ${pieceLength}`);
  }
  if (pieceLength < MIN_PIECE_LENGTH || pieceLength > MAX_PIECE_LENGTH) {
    throw new CreateTorrentError('pieceLength', `must be from 16 KiB to 256 MiB for ${version} torrents, got ${pieceLength}`);
  }
  return pieceLength;
}
