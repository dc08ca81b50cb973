import { type BEncodable, encode } from '@seedfleet/bencode';
import { type MagnetLink, type Metainfo, MetainfoError, parseTorrent } from '@seedfleet/metainfo';
import { MetadataError } from './metadata-error';

/**
 * A .torrent file around a fetched info dict: the dict's bytes exactly as received (the info hash is over
 * them), the magnet's trackers as one tier each (BEP 12) and its web seeds as url-list.
 */
export function torrentFileFor(infoRaw: Buffer, magnet: Pick<MagnetLink, 'trackers' | 'webSeeds'>): Buffer {
  // Keys in sorted order: announce, announce-list, info, url-list.
  const head: Record<string, BEncodable> = {};
  if (magnet.trackers.length > 0) {
    head.announce = magnet.trackers[0];
    head['announce-list'] = magnet.trackers.map((url) => [url]);
  }
  const prefix = encode(head);
  const tail = magnet.webSeeds.length > 0 ? encode({ 'url-list': magnet.webSeeds }) : Buffer.from('de');
  // prefix is "d...e" and tail "d...e": splice the info entry between their bodies.
  return Buffer.concat([prefix.subarray(0, -1), Buffer.from('4:info'), infoRaw, tail.subarray(1)]);
}

/** Parses a fetched dict into a Metainfo, with the magnet's trackers and web seeds; MetadataError if it is not a valid info dict. */
export function metainfoFromMagnet(infoRaw: Buffer, magnet: Pick<MagnetLink, 'trackers' | 'webSeeds'>): { metainfo: Metainfo; torrentFile: Buffer } {
  const torrentFile = torrentFileFor(infoRaw, magnet);
  try {
    return { metainfo: parseTorrent(torrentFile), torrentFile };
  } catch (error) {
    if (error instanceof MetainfoError) throw new MetadataError('invalid-info', `the info dict matches the magnet but is not valid: ${error.message}`, { cause: error });
    throw error;
  }
}
