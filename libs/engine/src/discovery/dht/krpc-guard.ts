import { type BDict, type BEncodable, type BValue, decode, encode } from '@seedfleet/bencode';

/** Why a datagram never reached bittorrent-dht. */
export type KrpcRejection = 'not-bencode' | 'not-a-dict' | 'forbidden-key' | 'bad-type' | 'bad-transaction' | 'unsupported-query' | 'bad-arguments' | 'bad-response';

/** A KRPC message as bittorrent-dht and k-rpc read it: plain objects, byte strings as Buffers. */
export type KrpcMessage = { [key: string]: KrpcValue };
export type KrpcValue = Buffer | number | KrpcValue[] | KrpcMessage;

export type KrpcDecodeResult = { readonly message: KrpcMessage; readonly rejected?: undefined } | { readonly message?: undefined; readonly rejected: KrpcRejection };

const decodeLimits = { maxDepth: 8, maxTokens: 4096 };
const idLength = 20;
// BEP 5 only: get/put (BEP 44) are dropped, so their unchecked argument handling is never reached.
const supportedQueries = new Set(['ping', 'find_node', 'get_peers', 'announce_peer']);

/**
 * Decodes a KRPC datagram strictly (libs/bencode) and checks its shape before bittorrent-dht sees it. The
 * library trusts field types on some paths: a `get_peers` whose `info_hash` is an integer throws out of its
 * socket handler and takes the whole process down. Anything that would reach such a path is rejected.
 */
export function decodeKrpcMessage(datagram: Uint8Array): KrpcDecodeResult {
  let value: BValue;
  try {
    value = decode(datagram, decodeLimits).value;
  } catch {
    return { rejected: 'not-bencode' };
  }
  const rejected = checkKrpcMessage(value);
  return rejected === undefined ? { message: toPlain(value) as KrpcMessage } : { rejected };
}

/** Encodes what k-rpc and bittorrent-dht build (strings, Buffers, numbers, arrays, objects); null fields are left out. */
export function encodeKrpcMessage(message: object): Buffer {
  return encode(withoutNulls(message) as BEncodable);
}

function checkKrpcMessage(message: BValue): KrpcRejection | undefined {
  if (!(message instanceof Map)) return 'not-a-dict';
  if (hasForbiddenKey(message)) return 'forbidden-key';
  if (!Buffer.isBuffer(message.get('t'))) return 'bad-transaction';
  const type = message.get('y');
  if (!Buffer.isBuffer(type)) return 'bad-type';
  switch (type.toString('latin1')) {
    case 'q':
      return checkQuery(message);
    case 'r':
      return checkResponse(message.get('r'));
    case 'e':
      return undefined;
    default:
      return 'bad-type';
  }
}

function checkQuery(message: BDict): KrpcRejection | undefined {
  const name = message.get('q');
  if (!Buffer.isBuffer(name) || !supportedQueries.has(name.toString('latin1'))) return 'unsupported-query';
  const args = message.get('a');
  if (!(args instanceof Map) || !isId(args.get('id'))) return 'bad-arguments';
  switch (name.toString('latin1')) {
    case 'find_node':
      return isId(args.get('target')) ? undefined : 'bad-arguments';
    case 'get_peers':
      return isId(args.get('info_hash')) ? undefined : 'bad-arguments';
    case 'announce_peer':
      return isId(args.get('info_hash')) && Buffer.isBuffer(args.get('token')) && optionalNumber(args.get('port')) && optionalNumber(args.get('implied_port'))
        ? undefined
        : 'bad-arguments';
    default:
      return undefined;
  }
}

function checkResponse(body: BValue | undefined): KrpcRejection | undefined {
  if (!(body instanceof Map) || !isId(body.get('id'))) return 'bad-response';
  const nodes = body.get('nodes');
  const token = body.get('token');
  const values = body.get('values');
  if (nodes !== undefined && !Buffer.isBuffer(nodes)) return 'bad-response';
  if (token !== undefined && !Buffer.isBuffer(token)) return 'bad-response';
  if (values !== undefined && !(Array.isArray(values) && values.every((value) => Buffer.isBuffer(value)))) return 'bad-response';
  return undefined;
}

function isId(value: BValue | undefined): boolean {
  return Buffer.isBuffer(value) && value.length === idLength;
}

function optionalNumber(value: BValue | undefined): boolean {
  return value === undefined || typeof value === 'number';
}

/** bittorrent-dht decodes dicts into plain objects, where these keys would reach the prototype. */
function hasForbiddenKey(value: BValue): boolean {
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  if (!(value instanceof Map)) return false;
  for (const [key, inner] of value) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype' || hasForbiddenKey(inner)) return true;
  }
  return false;
}

function toPlain(value: BValue): KrpcValue {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Map) {
    const object: KrpcMessage = {};
    for (const [key, inner] of value) object[key] = toPlain(inner);
    return object;
  }
  return value;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(withoutNulls);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  const object: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== null && inner !== undefined) object[key] = withoutNulls(inner);
  return object;
}
