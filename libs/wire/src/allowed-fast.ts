import { createHash } from 'node:crypto';
import { WireError } from './errors';
import { encodeIp, isIPv4Mapped } from './ip-address';

/**
 * BEP 6 allowed-fast set: the first `size` distinct piece indices drawn from repeated SHA-1 of the peer's
 * network and the info hash, so peers sharing a network get one set and cannot collect more free pieces by
 * reconnecting. IPv4 (and IPv4-mapped IPv6) uses the /24 as BEP 6 specifies. BEP 6 defines nothing for
 * IPv6; we use the /64, the smallest block one subscriber gets. Only the sender computes the set (the
 * receiver just reads allowed-fast messages), so this choice cannot break interop: libtorrent 2.0, for one,
 * hashes the whole unmasked address of either family.
 */
export function allowedFastSet(infoHash: Uint8Array, peerIp: string, pieceCount: number, size: number): number[] {
  if (infoHash.length !== 20) {
    throw new WireError('bad-argument', `allowed-fast set needs the 20-byte info hash, got ${infoHash.length} bytes`);
  }
  if (!Number.isInteger(pieceCount) || pieceCount < 0 || !Number.isInteger(size) || size < 0) {
    throw new WireError('bad-argument', `allowed-fast set of ${size} from ${pieceCount} pieces`);
  }
  const wanted = Math.min(size, pieceCount);
  const chosen = new Set<number>();
  let x: Buffer = Buffer.concat([maskedNetwork(peerIp), infoHash]);
  while (chosen.size < wanted) {
    x = createHash('sha1').update(x).digest();
    for (let at = 0; at < 20 && chosen.size < wanted; at += 4) {
      chosen.add(x.readUInt32BE(at) % pieceCount);
    }
  }
  return [...chosen];
}

function maskedNetwork(ip: string): Buffer {
  const address = encodeIp(ip);
  const network = address.length === 4 || isIPv4Mapped(address) ? Buffer.from(address.subarray(-4)) : address;
  // /24 of 4 bytes, /64 of 16: everything after the network prefix is zeroed.
  network.fill(0, network.length === 4 ? 3 : 8);
  return network;
}
