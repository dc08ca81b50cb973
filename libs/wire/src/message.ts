/** Message ids on the peer wire: BEP 3 core, BEP 5 port, BEP 6 fast, BEP 10 extended, BEP 52 hashes. */
export const MessageId = {
  choke: 0,
  unchoke: 1,
  interested: 2,
  notInterested: 3,
  have: 4,
  bitfield: 5,
  request: 6,
  piece: 7,
  cancel: 8,
  port: 9,
  suggest: 0x0d,
  haveAll: 0x0e,
  haveNone: 0x0f,
  reject: 0x10,
  allowedFast: 0x11,
  extended: 20,
  hashRequest: 21,
  hashes: 22,
  hashReject: 23,
} as const;

/** A block address: request, cancel and reject carry exactly these three numbers. */
export interface BlockRef {
  index: number;
  begin: number;
  length: number;
}

/** BEP 52: a range of hashes in one file's merkle tree; request and reject carry exactly this. */
export interface HashRange {
  /** 32-byte root of the file's merkle tree. */
  piecesRoot: Buffer;
  /** Layer of the requested hashes, 0 being the 16 KiB block layer. */
  baseLayer: number;
  index: number;
  length: number;
  proofLayers: number;
}

/**
 * A decoded peer-wire message. Buffers in decoded messages may be views into the bytes given to the
 * decoder (a piece block is not copied when it lies inside one chunk): copy them to keep them past the
 * chunk's lifetime if the chunk's memory is reused.
 */
export type Message =
  | { type: 'keep-alive' }
  | { type: 'choke' }
  | { type: 'unchoke' }
  | { type: 'interested' }
  | { type: 'not-interested' }
  | { type: 'have'; index: number }
  /** Raw bitfield bytes; `Bitfield.fromWire` validates them against the piece count. */
  | { type: 'bitfield'; bytes: Buffer }
  | ({ type: 'request' } & BlockRef)
  | { type: 'piece'; index: number; begin: number; block: Buffer }
  | ({ type: 'cancel' } & BlockRef)
  | { type: 'port'; port: number }
  | { type: 'suggest'; index: number }
  | { type: 'have-all' }
  | { type: 'have-none' }
  | ({ type: 'reject' } & BlockRef)
  | { type: 'allowed-fast'; index: number }
  /** BEP 10: extended message id 0 is the extension handshake, others are as the receiver assigned them. */
  | { type: 'extended'; id: number; payload: Buffer }
  | ({ type: 'hash-request' } & HashRange)
  /** `hashes` holds the requested hashes followed by the proof hashes, 32 bytes each. */
  | ({ type: 'hashes'; hashes: Buffer } & HashRange)
  | ({ type: 'hash-reject' } & HashRange)
  /** An id this codec does not know; passed through so the engine decides whether to ignore it. */
  | { type: 'unknown'; id: number; payload: Buffer };

export type MessageType = Message['type'];
