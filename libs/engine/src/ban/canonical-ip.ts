import { isIP } from 'node:net';
import { decodeIp, encodeIp, isIPv4Mapped } from '@seedfleet/wire';

/**
 * One spelling per address: IPv4-mapped IPv6 (how a dual-stack socket shows an IPv4 peer) becomes plain
 * IPv4, IPv6 takes its RFC 5952 form. Undefined for anything that is not an IP address.
 */
export function canonicalIp(host: string): string | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) === 0 || bare.includes('%')) return undefined;
  const bytes = encodeIp(bare);
  return decodeIp(isIPv4Mapped(bytes) ? bytes.subarray(12) : bytes);
}
