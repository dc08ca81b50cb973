import type { AnnounceEvent } from '../core/types';

/** BEP 15 wire format. Decoding returns undefined for anything that is not a well-formed request. */
export const PROTOCOL_ID = 0x41727101980n;
export const ACTION_CONNECT = 0;
export const ACTION_ANNOUNCE = 1;
export const ACTION_SCRAPE = 2;
export const ACTION_ERROR = 3;
const ANNOUNCE_LENGTH = 98;
const SCRAPE_HEADER = 16;

export type UdpRequest =
  | { readonly action: 'connect'; readonly transactionId: number }
  | { readonly action: 'announce'; readonly connectionId: Buffer; readonly transactionId: number; readonly infoHash: Buffer; readonly peerId: Buffer; readonly left: bigint; readonly event: AnnounceEvent; readonly numWant: number; readonly port: number }
  | { readonly action: 'scrape'; readonly connectionId: Buffer; readonly transactionId: number; readonly infoHashes: Buffer[] };

const events: readonly AnnounceEvent[] = ['none', 'completed', 'started', 'stopped'];

export function decodeUdpRequest(message: Buffer): UdpRequest | undefined {
  if (message.length < 16) return undefined;
  const action = message.readUInt32BE(8);
  const transactionId = message.readUInt32BE(12);
  if (action === ACTION_CONNECT) return message.readBigUInt64BE(0) === PROTOCOL_ID ? { action: 'connect', transactionId } : undefined;
  const connectionId = Buffer.from(message.subarray(0, 8));
  if (action === ACTION_ANNOUNCE) {
    // Longer is fine: BEP 41 options follow the fixed part.
    if (message.length < ANNOUNCE_LENGTH) return undefined;
    const event = events[message.readUInt32BE(80)];
    if (event === undefined) return undefined;
    return {
      action: 'announce',
      connectionId,
      transactionId,
      infoHash: Buffer.from(message.subarray(16, 36)),
      peerId: Buffer.from(message.subarray(36, 56)),
      left: message.readBigInt64BE(64),
      event,
      numWant: message.readInt32BE(92),
      port: message.readUInt16BE(96),
    };
  }
  if (action === ACTION_SCRAPE) {
    const count = (message.length - SCRAPE_HEADER) / 20;
    if (!Number.isInteger(count) || count < 1) return undefined;
    const infoHashes = Array.from({ length: count }, (_, index) => Buffer.from(message.subarray(SCRAPE_HEADER + index * 20, SCRAPE_HEADER + (index + 1) * 20)));
    return { action: 'scrape', connectionId, transactionId, infoHashes };
  }
  return undefined;
}

export function encodeConnectReply(transactionId: number, connectionId: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  out.writeUInt32BE(ACTION_CONNECT, 0);
  out.writeUInt32BE(transactionId, 4);
  connectionId.copy(out, 8);
  return out;
}

export function encodeAnnounceReply(transactionId: number, intervalSeconds: number, leechers: number, seeders: number, compactPeers: readonly Buffer[]): Buffer {
  const header = Buffer.allocUnsafe(20);
  header.writeUInt32BE(ACTION_ANNOUNCE, 0);
  header.writeUInt32BE(transactionId, 4);
  header.writeUInt32BE(intervalSeconds, 8);
  header.writeUInt32BE(leechers, 12);
  header.writeUInt32BE(seeders, 16);
  return Buffer.concat([header, ...compactPeers]);
}

export function encodeScrapeReply(transactionId: number, counts: readonly { complete: number; downloaded: number; incomplete: number }[]): Buffer {
  const out = Buffer.allocUnsafe(8 + counts.length * 12);
  out.writeUInt32BE(ACTION_SCRAPE, 0);
  out.writeUInt32BE(transactionId, 4);
  counts.forEach((entry, index) => {
    out.writeUInt32BE(entry.complete, 8 + index * 12);
    out.writeUInt32BE(entry.downloaded, 12 + index * 12);
    out.writeUInt32BE(entry.incomplete, 16 + index * 12);
  });
  return out;
}

export function encodeErrorReply(transactionId: number, message: string): Buffer {
  const header = Buffer.allocUnsafe(8);
  header.writeUInt32BE(ACTION_ERROR, 0);
  header.writeUInt32BE(transactionId, 4);
  return Buffer.concat([header, Buffer.from(message, 'utf8')]);
}
