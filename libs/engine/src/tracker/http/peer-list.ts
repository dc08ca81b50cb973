import type { BValue } from '@seedfleet/bencode';
import { type AddressFamily, decodeCompactPeers, decodeIp, encodeIp, type PeerAddress, WireError } from '@seedfleet/wire';
import { isIP } from 'node:net';
import { TrackerError } from '../tracker-error';

/**
 * `peers` / `peers6` of an HTTP answer: compact bytes (BEP 23, BEP 7) or a list of dictionaries (BEP 3).
 * A compact string that is not whole peers is a broken answer; a dictionary entry we cannot use (a host
 * name, a bad port) is skipped, since the rest of the list is still good. Port 0 is never a peer.
 */
export function parsePeerField(value: BValue | undefined, family: AddressFamily, limit: number, url: string): PeerAddress[] {
  if (value === undefined || limit <= 0) return [];
  if (Buffer.isBuffer(value)) return compactPeers(value, family, limit, url);
  if (Array.isArray(value)) return dictionaryPeers(value, limit);
  throw new TrackerError('bad-response', url, `"${family === 'ipv4' ? 'peers' : 'peers6'}" is neither a byte string nor a list`);
}

function compactPeers(bytes: Buffer, family: AddressFamily, limit: number, url: string): PeerAddress[] {
  try {
    return decodeCompactPeers(bytes, family, limit).filter((peer) => peer.port !== 0);
  } catch (error) {
    if (error instanceof WireError) throw new TrackerError('bad-response', url, `bad compact peers: ${error.message}`, { cause: error });
    throw error;
  }
}

function dictionaryPeers(entries: BValue[], limit: number): PeerAddress[] {
  const peers: PeerAddress[] = [];
  for (const entry of entries) {
    if (peers.length >= limit) break;
    if (!(entry instanceof Map)) continue;
    const ip = entry.get('ip');
    const port = entry.get('port');
    if (!Buffer.isBuffer(ip) || typeof port !== 'number' || !Number.isInteger(port) || port <= 0 || port > 0xffff) continue;
    const text = ip.toString('latin1');
    if (isIP(text) === 0 || text.includes('%')) continue;
    // Through bytes and back, so "::FFFF:1.2.3.4" and "::ffff:1.2.3.4" are one peer.
    peers.push({ host: decodeIp(encodeIp(text)), port });
  }
  return peers;
}
