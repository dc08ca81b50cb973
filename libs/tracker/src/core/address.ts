import { isIPv4, isIPv6 } from 'node:net';
import type { PeerAddress } from './types';

/**
 * Normalises an address as sockets report it: `::ffff:1.2.3.4` (an IPv4 client on a dual-stack socket) is
 * IPv4, other IPv6 text is compressed and lower-cased through a round trip to bytes. Undefined for anything
 * that is not an IP address.
 */
export function peerAddress(ip: string, port: number): PeerAddress | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return { ip: mapped[1], family: 4, port };
  if (isIPv4(ip)) return { ip, family: 4, port };
  if (isIPv6(ip)) return { ip: ipv6Text(ipv6Bytes(ip)), family: 6, port };
  return undefined;
}

/** BEP 23 / BEP 7 compact form: 4 or 16 address bytes, then the port big-endian. */
export function compactAddress(address: PeerAddress): Buffer {
  const ip = address.family === 4 ? Buffer.from(address.ip.split('.').map(Number)) : ipv6Bytes(address.ip);
  const out = Buffer.allocUnsafe(ip.length + 2);
  ip.copy(out, 0);
  out.writeUInt16BE(address.port, ip.length);
  return out;
}

/** Inverse of compactAddress for 6- or 18-byte input; undefined for other lengths. */
export function parseCompactAddress(bytes: Buffer): PeerAddress | undefined {
  if (bytes.length === 6) return { ip: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`, family: 4, port: bytes.readUInt16BE(4) };
  if (bytes.length === 18) return { ip: ipv6Text(bytes.subarray(0, 16)), family: 6, port: bytes.readUInt16BE(16) };
  return undefined;
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] => {
    if (!part) return [];
    return part.split(':').flatMap((group) => {
      if (group.includes('.')) {
        const [a, b, c, d] = group.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const left = parse(head);
  const right = parse(tail);
  const groups = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
  const out = Buffer.alloc(16);
  groups.forEach((group, index) => out.writeUInt16BE(group, index * 2));
  return out;
}

/** RFC 5952 text: lower case, the longest run of two or more zero groups written as `::`. */
function ipv6Text(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; ) {
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) [bestStart, bestLength] = [start, end - start];
    start = end === start ? start + 1 : end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
