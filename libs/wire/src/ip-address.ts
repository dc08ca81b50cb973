import { isIPv4, isIPv6 } from 'node:net';
import { WireError } from './errors';

/** An IP address as wire bytes: 4 for IPv4, 16 for IPv6 (BEP 7, BEP 10 `yourip`, BEP 23). */
export function encodeIp(host: string): Buffer {
  if (isIPv4(host)) return Buffer.from(host.split('.').map(Number));
  if (isIPv6(host) && !host.includes('%')) return encodeIPv6(host);
  throw new WireError('bad-address', `"${host}" is not an IPv4 or IPv6 address`);
}

/** Wire bytes back to text; IPv6 in RFC 5952 form, so equal addresses give equal strings. */
export function decodeIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) return formatIPv6(bytes);
  throw new WireError('bad-address', `an IP address is 4 or 16 bytes, got ${bytes.length}`);
}

/** True for ::ffff:a.b.c.d, an IPv4 peer reached over an IPv6 socket. */
export function isIPv4Mapped(bytes: Uint8Array): boolean {
  return bytes.length === 16 && bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

function encodeIPv6(host: string): Buffer {
  const bytes = Buffer.alloc(16);
  let text = host;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // An embedded IPv4 address (::ffff:1.2.3.4) fills the last 32 bits.
    tail = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - restGroups.length).fill('0'), ...restGroups];
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

function formatIPv6(bytes: Uint8Array): string {
  if (isIPv4Mapped(bytes)) return `::ffff:${Array.from(bytes.subarray(12)).join('.')}`;
  const groups: number[] = [];
  for (let at = 0; at < 16; at += 2) groups.push((bytes[at] << 8) | bytes[at + 1]);
  // RFC 5952: compress the longest run of two or more zero groups, the first one on a tie.
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
