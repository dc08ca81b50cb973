import { MetainfoError } from './errors';

/** Lower-case hex of an info hash, as trackers, magnets and logs show it. */
export function infoHashHex(hash: Buffer): string {
  return hash.toString('hex');
}

/** A 40 (SHA-1) or 64 (SHA-256) character hex info hash. */
export function parseInfoHashHex(hex: string, field = 'info hash'): Buffer {
  if (!/^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(hex)) {
    throw new MetainfoError(field, `must be 40 or 64 hex characters, got ${JSON.stringify(hex.slice(0, 80))}`);
  }
  return Buffer.from(hex, 'hex');
}

/**
 * BEP 52: the v2 info hash truncated to 20 bytes stands for the torrent wherever a 20-byte hash is
 * expected (handshake, tracker announce, DHT).
 */
export function truncatedInfoHash(hash: Buffer): Buffer {
  return hash.subarray(0, 20);
}
