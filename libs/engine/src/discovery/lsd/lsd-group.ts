import { isIPv6 } from 'node:net';

/** A multicast group LSD announces to and listens on. */
export interface LsdGroup {
  /** Multicast address: BEP 14's org-local 239.192.152.143 or site-local ff15::efc0:988f. */
  readonly address: string;
  readonly port: number;
  /**
   * Interface to join on and send from: an IPv4 address of the interface (`192.168.1.10`, `127.0.0.1`) or,
   * for IPv6, `::%<name>` (`::%eth0`). Default: the kernel's choice (the interface of the default route).
   */
  readonly interface?: string;
}

export const LSD_IPV4_GROUP: LsdGroup = { address: '239.192.152.143', port: 6771 };
export const LSD_IPV6_GROUP: LsdGroup = { address: 'ff15::efc0:988f', port: 6771 };

export function isIpv6Group(group: LsdGroup): boolean {
  return isIPv6(group.address);
}

/** The Host header for announces to this group (RFC 2732 brackets for IPv6). */
export function lsdHostHeader(group: LsdGroup): string {
  return isIpv6Group(group) ? `[${group.address}]:${group.port}` : `${group.address}:${group.port}`;
}

export function describeGroup(group: LsdGroup): string {
  return `${lsdHostHeader(group)}${group.interface === undefined ? '' : ` on ${group.interface}`}`;
}
