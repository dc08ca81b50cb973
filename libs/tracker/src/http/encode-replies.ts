import { encode } from '@seedfleet/bencode';
import { compactAddress } from '../core/address';
import type { TrackerFailure } from '../core/failure';
import type { AnnounceReply, ScrapeReply } from '../core/tracker';

export interface PeerListStyle {
  readonly compact: boolean;
  readonly noPeerId: boolean;
}

/**
 * BEP 3 response. Compact (BEP 23): IPv4 peers in `peers`, IPv6 in `peers6` (BEP 7), 6 and 18 bytes
 * each. Otherwise `peers` is a list of dicts holding both families.
 */
export function encodeAnnounceReply(reply: AnnounceReply, style: PeerListStyle): Buffer {
  const common = {
    complete: reply.complete,
    incomplete: reply.incomplete,
    downloaded: reply.downloaded,
    interval: reply.intervalSeconds,
    'min interval': reply.minIntervalSeconds,
    'tracker id': reply.trackerId,
  };
  if (!style.compact) {
    const peers = reply.peers.map((peer) => ({ 'peer id': style.noPeerId ? undefined : peer.peerId, ip: peer.address.ip, port: peer.address.port }));
    return encode({ ...common, peers });
  }
  const v4: Buffer[] = [];
  const v6: Buffer[] = [];
  for (const peer of reply.peers) (peer.address.family === 4 ? v4 : v6).push(peer.compact ?? compactAddress(peer.address));
  return encode({ ...common, peers: Buffer.concat(v4), peers6: Buffer.concat(v6) });
}

/** BEP 48: `files` keyed by the raw 20-byte info hash. */
export function encodeScrapeReply(reply: ScrapeReply): Buffer {
  const files = new Map<Buffer, { complete: number; downloaded: number; incomplete: number }>();
  for (const [hex, counts] of reply.files) files.set(Buffer.from(hex, 'hex'), { complete: counts.complete, downloaded: counts.downloaded, incomplete: counts.incomplete });
  return encode({ files });
}

export function encodeFailure(value: TrackerFailure): Buffer {
  return encode({ 'failure reason': value.reason });
}
