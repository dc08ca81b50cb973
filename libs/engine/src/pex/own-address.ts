import { networkInterfaces } from 'node:os';
import { canonicalIp } from '../ban/canonical-ip';

/**
 * Whether host:port is this session itself: our listen port on one of this machine's addresses (or the
 * address peers told us they see, BEP 10 `yourip`). Dialing it would only end in a self-connection.
 */
export class OwnAddress {
  private readonly addresses = new Set<string>();

  constructor(private readonly listenPort: () => number) {
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) {
        const ip = canonicalIp(entry.address);
        if (ip !== undefined) this.addresses.add(ip);
      }
    }
    this.addresses.add('0.0.0.0');
    this.addresses.add('::');
  }

  /** An address peers report for us (yourip). Bounded: a handful is all a host has. */
  learn(host: string): void {
    const ip = canonicalIp(host);
    if (ip !== undefined && this.addresses.size < 256) this.addresses.add(ip);
  }

  matches(host: string, port: number): boolean {
    const ip = canonicalIp(host);
    return port === this.listenPort() && ip !== undefined && this.addresses.has(ip);
  }
}
