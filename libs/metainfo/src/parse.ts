import { createHash } from 'node:crypto';
import type { BDict, Decoded, DecodeOptions } from '@seedfleet/bencode';
import { BencodeError, decode } from '@seedfleet/bencode';
import { MetainfoError } from './errors';
import { expectDict, required } from './fields';
import { readInfo } from './info';
import type { Metainfo, ParseTorrentOptions } from './model';
import { readPieceLayers } from './piece-layers';
import { readAnnounce, readUrlList } from './trackers';
import { lenientText, preferUtf8Key } from './text';

// libtorrent's load_torrent_limits: depth 100, 3M tokens, 2^21 pieces. Its 10 MB file limit is raised
// because v2 piece layers make large torrents bigger.
const DECODE_LIMITS: DecodeOptions = { maxDepth: 100, maxTokens: 3_000_000 };
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_PIECES = 2 ** 21;

/** Parse and validate a .torrent file (v1, v2 or hybrid). Throws only MetainfoError. */
export function parseTorrent(bytes: Uint8Array, options: ParseTorrentOptions = {}): Metainfo {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new MetainfoError('torrent', `is ${bytes.length} bytes, more than the ${maxBytes} allowed`);
  }
  const decoded = decodeBencode(bytes, 'torrent');
  const torrent = expectDict(decoded.value, 'torrent');
  const info = expectDict(required(torrent, 'info', 'info'), 'info');
  const infoRaw = decoded.raw(info);
  const fields = readInfo(info, options.maxPieces ?? DEFAULT_MAX_PIECES);
  const hasV2 = fields.version !== 'v1';
  // libtorrent refuses v2 info dicts with unsorted or duplicate keys (and clients could read duplicates
  // differently), so accepting one would start a swarm others cannot join.
  if (hasV2 && !decodeBencode(infoRaw, 'info').canonical) {
    throw new MetainfoError('info', 'dictionary keys must be sorted and unique in v2 torrents');
  }
  const pieceLayers = hasV2
    ? readPieceLayers(torrent.get('piece layers'), fields.files, fields.pieceLength, options.requirePieceLayers ?? false)
    : new Map<string, Buffer>();
  return {
    ...fields,
    infoHashV1: fields.version === 'v2' ? null : createHash('sha1').update(infoRaw).digest(),
    infoHashV2: hasV2 ? createHash('sha256').update(infoRaw).digest() : null,
    pieceLayers,
    announce: readAnnounce(torrent),
    urlList: readUrlList(torrent),
    ...readDescription(torrent),
    info,
    infoRaw,
  };
}

function decodeBencode(bytes: Uint8Array, field: string): Decoded {
  try {
    return decode(bytes, DECODE_LIMITS);
  } catch (error) {
    if (error instanceof BencodeError) throw new MetainfoError(field, `is not valid bencode: ${error.message}`, { cause: error });
    throw error;
  }
}

/** Informational fields: kept when well-formed, ignored otherwise, as other clients do. */
function readDescription(torrent: BDict): Pick<Metainfo, 'comment' | 'createdBy' | 'creationDate'> {
  const description: Pick<Metainfo, 'comment' | 'createdBy' | 'creationDate'> = {};
  const comment = torrent.get(preferUtf8Key(torrent, 'comment'));
  if (Buffer.isBuffer(comment)) description.comment = lenientText(comment);
  const createdBy = torrent.get('created by');
  if (Buffer.isBuffer(createdBy)) description.createdBy = lenientText(createdBy);
  const creationDate = torrent.get('creation date');
  if (typeof creationDate === 'number' && creationDate >= 0) description.creationDate = creationDate;
  return description;
}
