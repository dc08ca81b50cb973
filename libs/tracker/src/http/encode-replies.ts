import { encode } from '@seedfleet/bencode';
import { compactAddress } from '../core/address';
import type { TrackerFailure } from '../core/failure';
import type { AnnounceReply, ScrapeReply } from '../core/tracker';
import { PEER_ID_LENGTH } from '../core/types';

export interface PeerListStyle {
  readonly compact: boolean;
  readonly noPeerId: boolean;
}

/**
 * BEP 3 response. Compact (BEP 23): IPv4 peers in `peers`, IPv6 in `peers6` (BEP 7), 6 and 18 bytes
 * each. Otherwise `peers` is a list of dicts holding both families.
 */
export function encodeAnnounceReply(reply: AnnounceReply, style: PeerListStyle): Buffer {
  if (style.compact) return encodeCompactAnnounceReply(reply);
  const peers = reply.peers.map((peer) => ({ 'peer id': style.noPeerId ? undefined : peer.peerId, ip: peer.address.ip, port: peer.address.port }));
  return encode({
    complete: reply.complete,
    incomplete: reply.incomplete,
    downloaded: reply.downloaded,
    interval: reply.intervalSeconds,
    'min interval': reply.minIntervalSeconds,
    'tracker id': reply.trackerId,
    peers,
  });
}

/**
 * The compact answer written straight into one buffer: every announce gets one, and the generic encoder
 * (an object, sorted keys, a concatenation per family) was ~10 % of the tracker's CPU under S4 load. Keys
 * in bencode's sorted order; the spec checks the bytes against the generic encoder.
 */
function encodeCompactAnnounceReply(reply: AnnounceReply): Buffer {
  const peers = reply.peers;
  // A compact address is a stored member's tail (after the peer id), read in place; peers without one
  // (the memory store's) get theirs here, once.
  let encoded: Buffer[] | undefined;
  let v4Length = 0;
  let v6Length = 0;
  for (let index = 0; index < peers.length; index++) {
    const peer = peers[index];
    let length: number;
    if (peer.member) {
      length = peer.member.end - peer.member.start - PEER_ID_LENGTH;
    } else {
      const compact = peer.compact ?? compactAddress(peer.address);
      (encoded ??= [])[index] = compact;
      length = compact.length;
    }
    if (length === 6) v4Length += 6;
    else v6Length += length;
  }
  const head =
    `d8:completei${reply.complete}e10:downloadedi${reply.downloaded}e10:incompletei${reply.incomplete}e` +
    `8:intervali${reply.intervalSeconds}e12:min intervali${reply.minIntervalSeconds}e5:peers${v4Length}:`;
  const middle = `6:peers6${v6Length}:`;
  const trackerIdLength = Buffer.byteLength(reply.trackerId);
  const tail = `10:tracker id${trackerIdLength}:`;
  const out = Buffer.allocUnsafe(head.length + v4Length + middle.length + v6Length + tail.length + trackerIdLength + 1);
  let offset = writeAscii(head, out, 0);
  offset = writeCompactPeers(peers, encoded, true, out, offset);
  offset = writeAscii(middle, out, offset);
  offset = writeCompactPeers(peers, encoded, false, out, offset);
  offset = writeAscii(tail, out, offset);
  // As many bytes as characters: ASCII, which writeAscii copies; otherwise Buffer.write encodes the UTF-8.
  offset = trackerIdLength === reply.trackerId.length ? writeAscii(reply.trackerId, out, offset) : offset + out.write(reply.trackerId, offset);
  out[offset] = 0x65; // e
  return out;
}

/**
 * Text of single-byte characters (the caller knows it is), char by char: for ~100 bytes, Buffer.write's
 * call into C++ (and flattening the concatenated string) costs more than the copy.
 */
function writeAscii(text: string, out: Buffer, offset: number): number {
  for (let index = 0; index < text.length; index++) out[offset++] = text.charCodeAt(index);
  return offset;
}

/**
 * The IPv4 (or the IPv6) peers' compact addresses, byte by byte: for 6 or 18 bytes, Buffer.copy's
 * bookkeeping costs ~20 times the copy (Node 20).
 */
function writeCompactPeers(peers: AnnounceReply['peers'], encoded: readonly Buffer[] | undefined, ipv4: boolean, out: Buffer, offset: number): number {
  for (let index = 0; index < peers.length; index++) {
    const member = peers[index].member;
    const bytes = member ? member.bytes : encoded![index];
    const start = member ? member.start + PEER_ID_LENGTH : 0;
    const end = member ? member.end : bytes.length;
    if ((end - start === 6) !== ipv4) continue;
    for (let at = start; at < end; at++) out[offset++] = bytes[at];
  }
  return offset;
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
