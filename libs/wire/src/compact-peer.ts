import { WireError } from './errors';
import { decodeIp, encodeIp } from './ip-address';

export type AddressFamily = 'ipv4' | 'ipv6';

export interface PeerAddress {
  host: string;
  port: number;
}

const addressLength: Record<AddressFamily, number> = { ipv4: 4, ipv6: 16 };

/** Bytes per peer in compact form: address then big-endian port (BEP 23, BEP 7). */
export function compactPeerLength(family: AddressFamily): number {
  return addressLength[family] + 2;
}

export function encodeCompactPeers(peers: readonly PeerAddress[], family: AddressFamily): Buffer {
  const stride = compactPeerLength(family);
  const out = Buffer.allocUnsafe(peers.length * stride);
  peers.forEach((peer, index) => {
    const address = encodeIp(peer.host);
    if (address.length !== addressLength[family]) {
      throw new WireError('bad-address', `${peer.host} is not an ${family} address`);
    }
    if (!Number.isInteger(peer.port) || peer.port < 0 || peer.port > 0xffff) {
      throw new WireError('bad-address', `${peer.port} is not a port number`);
    }
    address.copy(out, index * stride);
    out.writeUInt16BE(peer.port, index * stride + address.length);
  });
  return out;
}

/** Decodes at most `limit` peers (the rest is ignored, not parsed); the length must be whole peers. */
export function decodeCompactPeers(bytes: Uint8Array, family: AddressFamily, limit = Infinity): PeerAddress[] {
  const stride = compactPeerLength(family);
  if (bytes.length % stride !== 0) {
    throw new WireError('bad-compact-peers', `${bytes.length} bytes is not a whole number of ${stride}-byte ${family} peers`);
  }
  const count = Math.min(bytes.length / stride, limit);
  const peers: PeerAddress[] = [];
  for (let index = 0; index < count; index++) {
    const at = index * stride;
    const port = (bytes[at + stride - 2] << 8) | bytes[at + stride - 1];
    peers.push({ host: decodeIp(bytes.subarray(at, at + stride - 2)), port });
  }
  return peers;
}
