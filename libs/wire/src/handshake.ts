import { WireError } from './errors';

const PROTOCOL = Buffer.from('BitTorrent protocol', 'latin1');
const RESERVED_AT = 1 + PROTOCOL.length;
const INFO_HASH_AT = RESERVED_AT + 8;
/** Bytes up to the end of the info hash: enough for an accepting side to pick the torrent. */
export const HANDSHAKE_HEAD_LENGTH = INFO_HASH_AT + 20;
export const HANDSHAKE_LENGTH = HANDSHAKE_HEAD_LENGTH + 20;

/** The reserved bits this codec names; any others are kept in `reserved` untouched. */
export interface ReservedFlags {
  /** BEP 10, bit 20 from the right: byte 5, 0x10. */
  extensionProtocol: boolean;
  /** BEP 6: byte 7, 0x04. */
  fastExtension: boolean;
  /** BEP 5: byte 7, 0x01. */
  dht: boolean;
  /** BEP 52: byte 7, 0x10, the peer can switch a hybrid torrent's connection to v2. */
  v2Upgrade: boolean;
}

const flagBits: Record<keyof ReservedFlags, [byte: number, mask: number]> = {
  extensionProtocol: [5, 0x10],
  fastExtension: [7, 0x04],
  dht: [7, 0x01],
  v2Upgrade: [7, 0x10],
};

export interface HandshakeHead {
  /** The 8 reserved bytes as received. */
  reserved: Buffer;
  flags: ReservedFlags;
  infoHash: Buffer;
}

export interface Handshake extends HandshakeHead {
  peerId: Buffer;
}

export interface HandshakeInit {
  flags: Partial<ReservedFlags>;
  /** A v1 info hash (20 bytes) or a v2 one (32 bytes, truncated to 20 on the wire per BEP 52). */
  infoHash: Uint8Array;
  peerId: Uint8Array;
}

export function encodeReserved(flags: Partial<ReservedFlags>): Buffer {
  const reserved = Buffer.alloc(8);
  for (const [name, [byte, mask]] of Object.entries(flagBits)) {
    if (flags[name as keyof ReservedFlags]) reserved[byte] |= mask;
  }
  return reserved;
}

export function decodeReserved(reserved: Uint8Array): ReservedFlags {
  const has = ([byte, mask]: [number, number]): boolean => (reserved[byte] & mask) !== 0;
  return {
    extensionProtocol: has(flagBits.extensionProtocol),
    fastExtension: has(flagBits.fastExtension),
    dht: has(flagBits.dht),
    v2Upgrade: has(flagBits.v2Upgrade),
  };
}

export function encodeHandshake(init: HandshakeInit): Buffer {
  if (init.infoHash.length !== 20 && init.infoHash.length !== 32) {
    throw new WireError('bad-argument', `info hash is ${init.infoHash.length} bytes, expected 20 (v1) or 32 (v2)`);
  }
  if (init.peerId.length !== 20) {
    throw new WireError('bad-argument', `peer id is ${init.peerId.length} bytes, expected 20`);
  }
  const handshake = Buffer.allocUnsafe(HANDSHAKE_LENGTH);
  handshake[0] = PROTOCOL.length;
  PROTOCOL.copy(handshake, 1);
  encodeReserved(init.flags).copy(handshake, RESERVED_AT);
  handshake.set(init.infoHash.subarray(0, 20), INFO_HASH_AT);
  handshake.set(init.peerId, HANDSHAKE_HEAD_LENGTH);
  return handshake;
}

/**
 * The handshake up to the info hash, or undefined while fewer bytes have arrived. Throws bad-handshake as
 * soon as the bytes so far cannot start a handshake, so garbage is refused from its first byte.
 */
export function parseHandshakeHead(bytes: Uint8Array): HandshakeHead | undefined {
  checkProtocolPrefix(bytes);
  if (bytes.length < HANDSHAKE_HEAD_LENGTH) return undefined;
  const reserved = Buffer.from(bytes.subarray(RESERVED_AT, INFO_HASH_AT));
  return {
    reserved,
    flags: decodeReserved(reserved),
    infoHash: Buffer.from(bytes.subarray(INFO_HASH_AT, HANDSHAKE_HEAD_LENGTH)),
  };
}

/** The whole handshake (copied out of `bytes`), or undefined while fewer than 68 bytes have arrived. */
export function parseHandshake(bytes: Uint8Array): Handshake | undefined {
  const head = parseHandshakeHead(bytes);
  if (head === undefined || bytes.length < HANDSHAKE_LENGTH) return undefined;
  return { ...head, peerId: Buffer.from(bytes.subarray(HANDSHAKE_HEAD_LENGTH, HANDSHAKE_LENGTH)) };
}

function checkProtocolPrefix(bytes: Uint8Array): void {
  const end = Math.min(bytes.length, RESERVED_AT);
  if (end > 0 && bytes[0] !== PROTOCOL.length) {
    throw new WireError('bad-handshake', `handshake starts with protocol length ${bytes[0]}, expected ${PROTOCOL.length}`);
  }
  for (let at = 1; at < end; at++) {
    if (bytes[at] !== PROTOCOL[at - 1]) {
      throw new WireError('bad-handshake', 'handshake protocol string is not "BitTorrent protocol"');
    }
  }
}
