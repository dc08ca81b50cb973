import { type AddressFamily, decodeCompactPeers, type PeerAddress, WireError } from '@seedfleet/wire';
import { TrackerError } from '../tracker-error';
import type { AnnounceParams, ScrapeCounts, TrackerEvent } from '../types';

// BEP 15 packet layouts. Every number is big-endian.

export const UDP_PROTOCOL_ID = 0x41727101980n;
export const UDP_MAX_SCRAPE_HASHES = 74;

export const UdpAction = { connect: 0, announce: 1, scrape: 2, error: 3 } as const;
export type UdpActionName = keyof typeof UdpAction;

const eventCodes: Record<TrackerEvent, number> = { completed: 1, started: 2, stopped: 3 };

export function encodeConnect(transactionId: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeBigUInt64BE(UDP_PROTOCOL_ID, 0);
  packet.writeUInt32BE(UdpAction.connect, 8);
  packet.writeUInt32BE(transactionId, 12);
  return packet;
}

export function encodeAnnounce(connectionId: Buffer, transactionId: number, params: AnnounceParams): Buffer {
  const packet = Buffer.alloc(98);
  connectionId.copy(packet, 0, 0, 8);
  packet.writeUInt32BE(UdpAction.announce, 8);
  packet.writeUInt32BE(transactionId, 12);
  params.infoHash.copy(packet, 16);
  params.peerId.copy(packet, 36);
  packet.writeBigUInt64BE(BigInt(params.downloaded), 56);
  packet.writeBigUInt64BE(BigInt(params.left), 64);
  packet.writeBigUInt64BE(BigInt(params.uploaded), 72);
  packet.writeUInt32BE(params.event === undefined ? 0 : eventCodes[params.event], 80);
  packet.writeUInt32BE(0, 84); // IP address: 0 = the packet's source address
  packet.writeUInt32BE(params.key ?? 0, 88);
  packet.writeInt32BE(params.numwant ?? -1, 92);
  packet.writeUInt16BE(params.port, 96);
  return packet;
}

export function encodeScrape(connectionId: Buffer, transactionId: number, infoHashes: readonly Buffer[]): Buffer {
  const packet = Buffer.alloc(16 + 20 * infoHashes.length);
  connectionId.copy(packet, 0, 0, 8);
  packet.writeUInt32BE(UdpAction.scrape, 8);
  packet.writeUInt32BE(transactionId, 12);
  infoHashes.forEach((hash, index) => hash.copy(packet, 16 + 20 * index));
  return packet;
}

export interface UdpHeader {
  readonly action: number;
  readonly transactionId: number;
}

/** Action and transaction id, or undefined for a packet too short to be any answer (ignored, not an error). */
export function readHeader(packet: Buffer): UdpHeader | undefined {
  if (packet.length < 8) return undefined;
  return { action: packet.readUInt32BE(0), transactionId: packet.readUInt32BE(4) };
}

export function parseConnectResponse(packet: Buffer, url: string): Buffer {
  if (packet.length < 16) throw new TrackerError('bad-response', url, `a connect answer is 16 bytes, got ${packet.length}`);
  return Buffer.from(packet.subarray(8, 16));
}

export interface UdpAnnounceAnswer {
  readonly interval: number;
  readonly leechers: number;
  readonly seeders: number;
  readonly peers: PeerAddress[];
}

/** Peers are 6-byte IPv4 or 18-byte IPv6 entries, by the family of the socket that asked (BEP 15). */
export function parseAnnounceResponse(packet: Buffer, family: AddressFamily, maxPeers: number, url: string): UdpAnnounceAnswer {
  if (packet.length < 20) throw new TrackerError('bad-response', url, `an announce answer is at least 20 bytes, got ${packet.length}`);
  let peers: PeerAddress[];
  try {
    peers = decodeCompactPeers(packet.subarray(20), family, maxPeers);
  } catch (error) {
    if (error instanceof WireError) throw new TrackerError('bad-response', url, `bad compact peers: ${error.message}`, { cause: error });
    throw error;
  }
  return {
    interval: packet.readUInt32BE(8),
    leechers: packet.readUInt32BE(12),
    seeders: packet.readUInt32BE(16),
    peers: peers.filter((peer) => peer.port !== 0),
  };
}

export function parseScrapeResponse(packet: Buffer, hashCount: number, url: string): ScrapeCounts[] {
  if (packet.length < 8 + 12 * hashCount) {
    throw new TrackerError('bad-response', url, `a scrape answer for ${hashCount} hashes is ${8 + 12 * hashCount} bytes, got ${packet.length}`);
  }
  return Array.from({ length: hashCount }, (_, index) => {
    const at = 8 + 12 * index;
    return { complete: packet.readUInt32BE(at), downloaded: packet.readUInt32BE(at + 4), incomplete: packet.readUInt32BE(at + 8) };
  });
}

/** The message of an error action; trackers send it as text without a terminator. */
export function parseErrorMessage(packet: Buffer): string {
  return packet.subarray(8, 8 + 1024).toString('utf8').replace(/\0+$/, '');
}
