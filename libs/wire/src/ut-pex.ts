import { isIPv4 } from 'node:net';
import { type BDict, type BEncodable, decode, encode } from '@seedfleet/bencode';
import { type AddressFamily, decodeCompactPeers, encodeCompactPeers, type PeerAddress } from './compact-peer';
import { WireError } from './errors';

/** BEP 11 per-peer flags in `added.f` / `added6.f`. */
export const PexFlag = {
  prefersEncryption: 0x01,
  seed: 0x02,
  utp: 0x04,
  holepunch: 0x08,
  reachable: 0x10,
} as const;

export interface PexPeer extends PeerAddress {
  /** PexFlag bits; 0 when the sender gave none. */
  flags: number;
}

export interface PexMessage {
  added: PexPeer[];
  dropped: PeerAddress[];
}

/** BEP 11: a message carries at most 50 added and 50 dropped peers. */
export const MAX_PEX_PEERS = 50;
const DECODE_LIMITS = { maxDepth: 4, maxTokens: 100 };

/**
 * Decodes a ut_pex payload, IPv4 and IPv6 together. Peers past `maxPeers` (added, and dropped, counted
 * separately) are ignored rather than refused, so a chatty peer costs nothing but is not disconnected.
 */
export function decodePexMessage(payload: Uint8Array, maxPeers = MAX_PEX_PEERS): PexMessage {
  let dict;
  try {
    dict = decode(payload, DECODE_LIMITS).value;
  } catch (error) {
    throw new WireError('bad-pex-message', 'ut_pex message is not valid bencode', { cause: error });
  }
  if (!(dict instanceof Map)) throw new WireError('bad-pex-message', 'ut_pex message is not a dictionary');
  try {
    const added = [...addedPeers(dict, 'added', 'ipv4', maxPeers), ...addedPeers(dict, 'added6', 'ipv6', maxPeers)];
    const dropped = [...peers(dict, 'dropped', 'ipv4', maxPeers), ...peers(dict, 'dropped6', 'ipv6', maxPeers)];
    return { added: added.slice(0, maxPeers), dropped: dropped.slice(0, maxPeers) };
  } catch (error) {
    throw new WireError('bad-pex-message', `ut_pex message: ${(error as Error).message}`, { cause: error });
  }
}

export function encodePexMessage(message: PexMessage): Buffer {
  if (message.added.length > MAX_PEX_PEERS || message.dropped.length > MAX_PEX_PEERS) {
    throw new WireError('bad-argument', `a ut_pex message carries at most ${MAX_PEX_PEERS} added and ${MAX_PEX_PEERS} dropped peers`);
  }
  const badFlags = message.added.find((peer) => !Number.isInteger(peer.flags) || peer.flags < 0 || peer.flags > 0xff);
  if (badFlags) throw new WireError('bad-argument', `pex flags ${badFlags.flags} of ${badFlags.host} are not a byte`);
  const [added, added6] = byFamily(message.added);
  const [dropped, dropped6] = byFamily(message.dropped);
  const dict: Record<string, BEncodable> = {
    added: encodeCompactPeers(added, 'ipv4'),
    'added.f': Buffer.from(added.map((peer) => peer.flags)),
    added6: encodeCompactPeers(added6, 'ipv6'),
    'added6.f': Buffer.from(added6.map((peer) => peer.flags)),
    dropped: encodeCompactPeers(dropped, 'ipv4'),
    dropped6: encodeCompactPeers(dropped6, 'ipv6'),
  };
  return encode(dict);
}

function addedPeers(dict: BDict, key: string, family: AddressFamily, limit: number): PexPeer[] {
  const flags = dict.get(`${key}.f`);
  return peers(dict, key, family, limit).map((peer, index) => ({
    ...peer,
    flags: Buffer.isBuffer(flags) && index < flags.length ? flags[index] : 0,
  }));
}

function peers(dict: BDict, key: string, family: AddressFamily, limit: number): PeerAddress[] {
  const value = dict.get(key);
  if (value === undefined) return [];
  if (!Buffer.isBuffer(value)) throw new WireError('bad-pex-message', `${key} is not a byte string`);
  return decodeCompactPeers(value, family, limit);
}

function byFamily<T extends PeerAddress>(list: readonly T[]): [T[], T[]] {
  return [list.filter((peer) => isIPv4(peer.host)), list.filter((peer) => !isIPv4(peer.host))];
}
