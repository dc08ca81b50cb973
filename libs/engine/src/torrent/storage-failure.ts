import type { Metainfo } from '@seedfleet/metainfo';
import { pieceSpans } from '@seedfleet/metainfo';
import { StorageError } from '../storage/piece-store';
import { TorrentError } from './torrent-types';

/** What a person reads when the torrent stops on a storage failure ("the disk is full: ENOSPC ..."). */
export function toTorrentError(error: unknown, name: string): TorrentError {
  if (error instanceof TorrentError) return error;
  if (error instanceof StorageError) {
    const what = error.code === 'no-space' ? 'the disk is full' : `storage failed (${error.code})`;
    return new TorrentError('storage', `torrent "${name}": ${what}: ${error.message}`, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new TorrentError('storage', `torrent "${name}": ${text}`, { cause: error });
}

/** File bytes in a piece: pad files are in the piece space but not in the torrent's size. */
export function dataBytes(metainfo: Metainfo, index: number): number {
  return pieceSpans(metainfo, index).reduce((sum, span) => sum + span.length, 0);
}
