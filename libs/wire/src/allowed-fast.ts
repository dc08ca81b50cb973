import { createHash } from 'node:crypto';
import { WireError } from './errors';
import { encodeIp, isIPv4Mapped } from './ip-address';

/**
 * BEP 6 allowed-fast set: the first `size` distinct piece indices drawn from repeated SHA-1 of the peer's
 * /24 network and the info hash, so every peer behind one NAT gets the same set and cannot collect more
 * free pieces by reconnecting. BEP 6 defines it for IPv4 only (IPv4-mapped IPv6 counts as IPv4); for an
 * IPv6 peer the set is empty rather than a guess another client would not reproduce.
 */
export function allowedFastSet(infoHash: Uint8Array, peerIp: string, pieceCount: number, size: number): number[] {
  if (infoHash.length !== 20) {
    throw new WireError('bad-argument', `allowed-fast set needs the 20-byte info hash, got ${infoHash.length} bytes`);
  }
  if (!Number.isInteger(pieceCount) || pieceCount < 0 || !Number.isInteger(size) || size < 0) {
    throw new WireError('bad-argument', `allowed-fast set of ${size} from ${pieceCount} pieces`);
  }
  const ipv4 = toIPv4(peerIp);
  if (ipv4 === undefined) return [];
  const wanted = Math.min(size, pieceCount);
  const chosen = new Set<number>();
  let x: Buffer = Buffer.concat([ipv4, infoHash]);
  x[3] = 0; // the /24 mask: 0xFFFFFF00
  while (chosen.size < wanted) {
    x = createHash('sha1').update(x).digest();
    for (let at = 0; at < 20 && chosen.size < wanted; at += 4) {
      chosen.add(x.readUInt32BE(at) % pieceCount);
    }
  }
  return [...chosen];
}

function toIPv4(ip: string): Buffer | undefined {
  const address = encodeIp(ip);
  if (address.length === 4) return address;
  return isIPv4Mapped(address) ? address.subarray(12) : undefined;
}
