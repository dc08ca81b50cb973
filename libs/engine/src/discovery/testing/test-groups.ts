import { randomInt } from 'node:crypto';
import type { LsdGroup } from '../lsd/lsd-group';

/**
 * A private IPv4 multicast group and port on loopback for one test, so parallel test runs (and any real
 * LSD client on 6771) never hear each other. Linux delivers IPv4 multicast on `lo` with 127.0.0.1 as the
 * interface even without the MULTICAST link flag.
 */
export function loopbackTestGroup(): LsdGroup {
  return { address: `239.255.${randomInt(1, 255)}.${randomInt(1, 255)}`, port: randomInt(20_000, 60_000), interface: '127.0.0.1' };
}
