import { isIPv4, isIPv6 } from 'node:net';
import { decodeIp, encodeIp } from '@seedfleet/wire';
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
  if (isIPv6(ip) && !ip.includes('%')) return { ip: decodeIp(encodeIp(ip)), family: 6, port };
  return undefined;
}

/** BEP 23 / BEP 7 compact form: 4 or 16 address bytes, then the port big-endian. */
export function compactAddress(address: PeerAddress): Buffer {
  return prefixedCompact(NO_PREFIX, address);
}

/** The peer id then the compact address: a member as stores keep it, built in one buffer. */
export function memberBytes(peerId: Buffer, address: PeerAddress): Buffer {
  return prefixedCompact(peerId, address);
}

const NO_PREFIX = Buffer.alloc(0);

/** `prefix`, then the compact address. Every announce needs one or two, so IPv4 is read in place rather than split, mapped and copied (encodeIp). */
function prefixedCompact(prefix: Buffer, address: PeerAddress): Buffer {
  const at = prefix.length;
  if (address.family === 4) {
    const out = Buffer.allocUnsafe(at + 6);
    out.set(prefix, 0);
    if (writeIPv4(address.ip, out, at)) {
      out.writeUInt16BE(address.port, at + 4);
      return out;
    }
  }
  const ip = encodeIp(address.ip);
  const out = Buffer.allocUnsafe(at + ip.length + 2);
  out.set(prefix, 0);
  out.set(ip, at);
  out.writeUInt16BE(address.port, at + ip.length);
  return out;
}

/** Inverse of compactAddress for 6- or 18-byte input; undefined for other lengths. */
export function parseCompactAddress(bytes: Buffer): PeerAddress | undefined {
  if (bytes.length === 6) return { ip: `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`, family: 4, port: bytes.readUInt16BE(4) };
  if (bytes.length === 18) return { ip: decodeIp(bytes.subarray(0, 16)), family: 6, port: bytes.readUInt16BE(16) };
  return undefined;
}

/** Dotted-quad text into out[at..at + 3]; false for anything else (encodeIp then says what is wrong). */
function writeIPv4(ip: string, out: Buffer, at = 0): boolean {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let char = 0; char <= ip.length; char++) {
    const code = char === ip.length ? 0x2e : ip.charCodeAt(char);
    if (code === 0x2e) {
      if (digits === 0 || index > 3) return false;
      out[at + index++] = octet;
      octet = 0;
      digits = 0;
    } else if (code >= 0x30 && code <= 0x39 && digits < 3 && !(digits > 0 && octet === 0)) {
      // No leading zeros, as node:net's isIPv4 (peerAddress) has it.
      octet = octet * 10 + code - 0x30;
      if (octet > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  return index === 4;
}
