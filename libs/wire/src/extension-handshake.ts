import { type BDict, type BEncodable, type BValue, decode, encode, keyText, textKey } from '@seedfleet/bencode';
import { WireError } from './errors';
import { decodeIp, encodeIp } from './ip-address';

/** The BEP 10 handshake dictionary (extended message id 0), with the keys the engine acts on typed. */
export interface ExtensionHandshake {
  /** Extension name -> the id the sender wants to receive it under; 0 disables it (BEP 10). */
  m: Map<string, number>;
  /** Client name and version. */
  v?: string;
  /** The sender's listen port. */
  p?: number;
  /** How many outstanding requests the sender accepts. */
  reqq?: number;
  /** Our address as the sender sees it. */
  yourip?: string;
  /** The sender's own addresses. */
  ipv4?: string;
  ipv6?: string;
  /** BEP 9: size of the info dictionary in bytes. */
  metadataSize?: number;
  /** BEP 21: the sender only uploads (a seed or a partial seed). */
  uploadOnly?: boolean;
  /** libtorrent: seconds since the sender last had every piece. */
  completeAgo?: number;
  /** Keys not interpreted here, as decoded (binary-string keys); encoded back unchanged. */
  unknown: BDict;
}

const KNOWN_KEYS = ['m', 'v', 'p', 'reqq', 'yourip', 'ipv4', 'ipv6', 'metadata_size', 'upload_only', 'complete_ago'];
// A handshake is a small flat dict; these bound the work a hostile one can cause within the 1 MiB frame.
const DECODE_LIMITS = { maxDepth: 16, maxTokens: 10_000 };

/**
 * Decodes a handshake payload. Only undecodable bencode or a non-dictionary is an error; a key with the
 * wrong type or an out-of-range value (an id over 255, a negative size, a port of 0) is dropped, as
 * libtorrent does, so one odd field does not cost the connection.
 */
export function decodeExtensionHandshake(payload: Uint8Array): ExtensionHandshake {
  let dict: BValue;
  try {
    dict = decode(payload, DECODE_LIMITS).value;
  } catch (error) {
    throw new WireError('bad-extension-handshake', 'extension handshake is not valid bencode', { cause: error });
  }
  if (!(dict instanceof Map)) {
    throw new WireError('bad-extension-handshake', 'extension handshake is not a dictionary');
  }
  const unknown: BDict = new Map([...dict].filter(([key]) => !KNOWN_KEYS.includes(key)));
  const completeAgo = integer(dict.get('complete_ago'), 0);
  const uploadOnly = integer(dict.get('upload_only'), 0);
  return {
    m: extensionIds(dict.get('m')),
    v: text(dict.get('v')),
    p: integer(dict.get('p'), 1, 0xffff),
    reqq: integer(dict.get('reqq'), 1),
    yourip: address(dict.get('yourip'), [4, 16]),
    ipv4: address(dict.get('ipv4'), [4]),
    ipv6: address(dict.get('ipv6'), [16]),
    metadataSize: integer(dict.get('metadata_size'), 0),
    uploadOnly: uploadOnly === undefined ? undefined : uploadOnly !== 0,
    completeAgo,
    unknown,
  };
}

export function encodeExtensionHandshake(handshake: ExtensionHandshake): Buffer {
  const dict = new Map<string, BEncodable | undefined>(handshake.unknown);
  dict.set('m', new Map([...handshake.m].map(([name, id]) => [textKey(name), id])));
  dict.set('v', handshake.v);
  dict.set('p', handshake.p);
  dict.set('reqq', handshake.reqq);
  dict.set('yourip', handshake.yourip === undefined ? undefined : encodeIp(handshake.yourip));
  dict.set('ipv4', handshake.ipv4 === undefined ? undefined : encodeIp(handshake.ipv4));
  dict.set('ipv6', handshake.ipv6 === undefined ? undefined : encodeIp(handshake.ipv6));
  dict.set('metadata_size', handshake.metadataSize);
  dict.set('upload_only', handshake.uploadOnly === undefined ? undefined : Number(handshake.uploadOnly));
  dict.set('complete_ago', handshake.completeAgo);
  try {
    return encode(dict);
  } catch (error) {
    throw new WireError('bad-argument', 'extension handshake cannot be encoded', { cause: error });
  }
}

function extensionIds(value: BValue | undefined): Map<string, number> {
  const ids = new Map<string, number>();
  if (!(value instanceof Map)) return ids;
  for (const [key, id] of value) {
    const checked = integer(id, 0, 255);
    if (checked !== undefined) ids.set(keyText(key), checked);
  }
  return ids;
}

function integer(value: BValue | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  return typeof value === 'number' && value >= min && value <= max ? value : undefined;
}

function text(value: BValue | undefined): string | undefined {
  return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
}

function address(value: BValue | undefined, lengths: number[]): string | undefined {
  return Buffer.isBuffer(value) && lengths.includes(value.length) ? decodeIp(value) : undefined;
}
