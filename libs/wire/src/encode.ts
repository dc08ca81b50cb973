import { WireError } from './errors';
import { type HashRange, type Message, MessageId } from './message';

/** Length prefix + id + index + begin: the bytes in front of a piece message's block. */
export const PIECE_HEADER_LENGTH = 13;
const HASH_RANGE_LENGTH = 48;

/** Bytes after the length prefix (id + payload); 0 for a keep-alive. */
export function frameLength(message: Message): number {
  switch (message.type) {
    case 'keep-alive':
      return 0;
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
    case 'have-all':
    case 'have-none':
      return 1;
    case 'have':
    case 'suggest':
    case 'allowed-fast':
      return 5;
    case 'port':
      return 3;
    case 'request':
    case 'cancel':
    case 'reject':
      return 13;
    case 'bitfield':
      return 1 + message.bytes.length;
    case 'piece':
      return 9 + message.block.length;
    case 'extended':
      return 2 + message.payload.length;
    case 'hash-request':
    case 'hash-reject':
      return 1 + HASH_RANGE_LENGTH;
    case 'hashes':
      return 1 + HASH_RANGE_LENGTH + message.hashes.length;
    case 'unknown':
      return 1 + message.payload.length;
  }
}

/** Total encoded size including the 4-byte length prefix. */
export function encodedLength(message: Message): number {
  return 4 + frameLength(message);
}

/** Encodes into `target` at `offset` (the caller preallocates, e.g. one buffer for a batch); returns the end offset. */
export function encodeInto(message: Message, target: Buffer, offset = 0): number {
  const length = frameLength(message);
  if (offset < 0 || target.length - offset < 4 + length) {
    throw new WireError('bad-argument', `encoding ${message.type}: ${4 + length} bytes do not fit at offset ${offset}`);
  }
  let at = writeU32(target, offset, length, 'length');
  switch (message.type) {
    case 'keep-alive':
      return at;
    case 'choke':
    case 'unchoke':
    case 'interested':
    case 'not-interested':
    case 'have-all':
    case 'have-none':
      return writeId(target, at, message.type);
    case 'have':
    case 'suggest':
    case 'allowed-fast':
      at = writeId(target, at, message.type);
      return writeU32(target, at, message.index, 'index');
    case 'port':
      at = writeId(target, at, message.type);
      if (!Number.isInteger(message.port) || message.port < 0 || message.port > 0xffff) {
        throw new WireError('bad-argument', `encoding port: ${message.port} is not a port number`);
      }
      return target.writeUInt16BE(message.port, at);
    case 'request':
    case 'cancel':
    case 'reject':
      at = writeId(target, at, message.type);
      at = writeU32(target, at, message.index, 'index');
      at = writeU32(target, at, message.begin, 'begin');
      return writeU32(target, at, message.length, 'length');
    case 'bitfield':
      at = writeId(target, at, message.type);
      return at + message.bytes.copy(target, at);
    case 'piece':
      at = writeId(target, at, message.type);
      at = writeU32(target, at, message.index, 'index');
      at = writeU32(target, at, message.begin, 'begin');
      return at + message.block.copy(target, at);
    case 'extended':
      at = writeId(target, at, message.type);
      at = writeByte(target, at, message.id, 'extended message id');
      return at + message.payload.copy(target, at);
    case 'hash-request':
    case 'hash-reject':
      return writeHashRange(target, writeId(target, at, message.type), message);
    case 'hashes':
      if (message.hashes.length % 32 !== 0) {
        throw new WireError('bad-argument', `encoding hashes: ${message.hashes.length} bytes is not a whole number of hashes`);
      }
      at = writeHashRange(target, writeId(target, at, message.type), message);
      return at + message.hashes.copy(target, at);
    case 'unknown':
      at = writeByte(target, at, message.id, 'message id');
      return at + message.payload.copy(target, at);
  }
}

/** Encodes into a new buffer of exactly the message's size. */
export function encodeMessage(message: Message): Buffer {
  const target = Buffer.allocUnsafe(encodedLength(message));
  encodeInto(message, target);
  return target;
}

/**
 * The 13 bytes in front of a piece block, so a block read from disk is written after it (writev) and
 * never copied into a message buffer.
 */
export function encodePieceHeader(
  index: number,
  begin: number,
  blockLength: number,
  target: Buffer = Buffer.allocUnsafe(PIECE_HEADER_LENGTH),
  offset = 0,
): Buffer {
  if (offset < 0 || target.length - offset < PIECE_HEADER_LENGTH) {
    throw new WireError('bad-argument', `encoding piece header: ${PIECE_HEADER_LENGTH} bytes do not fit at offset ${offset}`);
  }
  let at = writeU32(target, offset, 9 + blockLength, 'length');
  at = target.writeUInt8(MessageId.piece, at);
  at = writeU32(target, at, index, 'index');
  writeU32(target, at, begin, 'begin');
  return target;
}

const idOf: Record<Exclude<Message['type'], 'keep-alive' | 'unknown'>, number> = {
  choke: MessageId.choke,
  unchoke: MessageId.unchoke,
  interested: MessageId.interested,
  'not-interested': MessageId.notInterested,
  have: MessageId.have,
  bitfield: MessageId.bitfield,
  request: MessageId.request,
  piece: MessageId.piece,
  cancel: MessageId.cancel,
  port: MessageId.port,
  suggest: MessageId.suggest,
  'have-all': MessageId.haveAll,
  'have-none': MessageId.haveNone,
  reject: MessageId.reject,
  'allowed-fast': MessageId.allowedFast,
  extended: MessageId.extended,
  'hash-request': MessageId.hashRequest,
  hashes: MessageId.hashes,
  'hash-reject': MessageId.hashReject,
};

function writeId(target: Buffer, at: number, type: keyof typeof idOf): number {
  return target.writeUInt8(idOf[type], at);
}

function writeHashRange(target: Buffer, at: number, range: HashRange): number {
  if (range.piecesRoot.length !== 32) {
    throw new WireError('bad-argument', `encoding hash range: pieces root is ${range.piecesRoot.length} bytes, not 32`);
  }
  at += range.piecesRoot.copy(target, at);
  at = writeU32(target, at, range.baseLayer, 'base layer');
  at = writeU32(target, at, range.index, 'index');
  at = writeU32(target, at, range.length, 'length');
  return writeU32(target, at, range.proofLayers, 'proof layers');
}

function writeU32(target: Buffer, at: number, value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new WireError('bad-argument', `encoding ${field}: ${value} is not an unsigned 32-bit integer`);
  }
  return target.writeUInt32BE(value, at);
}

function writeByte(target: Buffer, at: number, value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new WireError('bad-argument', `encoding ${field}: ${value} is not a byte`);
  }
  return target.writeUInt8(value, at);
}
