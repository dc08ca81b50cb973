import { type BDict, type BValue, decode, encode } from '@seedfleet/bencode';
import { WireError } from './errors';

/** BEP 9: metadata travels in 16 KiB pieces, the last one shorter. */
export const METADATA_PIECE_LENGTH = 16 * 1024;
/** Info dictionaries beyond this are refused; a 10 GiB v1 torrent with 256 KiB pieces needs under 1 MiB. */
export const DEFAULT_MAX_METADATA_SIZE = 16 * 1024 * 1024;

export type MetadataMessage =
  | { type: 'request'; piece: number }
  | { type: 'data'; piece: number; totalSize: number; data: Buffer }
  | { type: 'reject'; piece: number }
  /** BEP 9: "an unrecognized message ID MUST be ignored"; returned so the engine can do just that. */
  | { type: 'unknown'; msgType: number; piece: number };

const msgTypeOf = { request: 0, data: 1, reject: 2 } as const;
const DECODE_LIMITS = { maxDepth: 8, maxTokens: 1_000, allowTrailingBytes: true };

export function metadataPieceCount(totalSize: number): number {
  return Math.ceil(totalSize / METADATA_PIECE_LENGTH);
}

/** A data message is its bencoded dictionary followed by the raw piece bytes. */
export function encodeMetadataMessage(message: MetadataMessage): Buffer {
  if (message.type === 'unknown') {
    return encode({ msg_type: message.msgType, piece: message.piece });
  }
  const dict = encode({
    msg_type: msgTypeOf[message.type],
    piece: message.piece,
    total_size: message.type === 'data' ? message.totalSize : undefined,
  });
  return message.type === 'data' ? Buffer.concat([dict, message.data]) : dict;
}

/**
 * Decodes a ut_metadata payload. A data message must carry a total size within `maxMetadataSize`, a piece
 * inside it, and exactly that piece's length of bytes after the dictionary.
 */
export function decodeMetadataMessage(payload: Uint8Array, maxMetadataSize = DEFAULT_MAX_METADATA_SIZE): MetadataMessage {
  let decoded;
  try {
    decoded = decode(payload, DECODE_LIMITS);
  } catch (error) {
    throw new WireError('bad-metadata-message', 'ut_metadata message is not valid bencode', { cause: error });
  }
  const dict = decoded.value;
  if (!(dict instanceof Map)) throw bad('is not a dictionary');
  const msgType = count(dict, 'msg_type');
  const piece = count(dict, 'piece');
  if (msgType === msgTypeOf.request) return { type: 'request', piece };
  if (msgType === msgTypeOf.reject) return { type: 'reject', piece };
  if (msgType !== msgTypeOf.data) return { type: 'unknown', msgType, piece };
  const totalSize = count(dict, 'total_size');
  if (totalSize === 0 || totalSize > maxMetadataSize) {
    throw bad(`total_size ${totalSize} is outside 1..${maxMetadataSize}`);
  }
  if (piece >= metadataPieceCount(totalSize)) throw bad(`piece ${piece} is beyond total_size ${totalSize}`);
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).subarray(decoded.span(dict)?.end);
  const expected = Math.min(METADATA_PIECE_LENGTH, totalSize - piece * METADATA_PIECE_LENGTH);
  if (data.length !== expected) throw bad(`piece ${piece} carries ${data.length} bytes, expected ${expected}`);
  return { type: 'data', piece, totalSize, data };
}

function count(dict: BDict, key: string): number {
  const value: BValue | undefined = dict.get(key);
  if (typeof value !== 'number' || value < 0) throw bad(`${key} is not a non-negative integer`);
  return value;
}

function bad(detail: string): WireError {
  return new WireError('bad-metadata-message', `ut_metadata message ${detail}`);
}
