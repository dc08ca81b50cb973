import { checkWireBitfield } from './bitfield';
import { WireError } from './errors';
import type { HashRange, Message } from './message';
import { MessageId } from './message';
import type { WireLimits } from './limits';

const HASH_FRAME_LENGTH = 49;

// Frame lengths (id byte + payload) of the messages whose size never varies.
const fixedFrameLength = new Map<number, number>([
  [MessageId.choke, 1],
  [MessageId.unchoke, 1],
  [MessageId.interested, 1],
  [MessageId.notInterested, 1],
  [MessageId.have, 5],
  [MessageId.request, 13],
  [MessageId.cancel, 13],
  [MessageId.port, 3],
  [MessageId.suggest, 5],
  [MessageId.haveAll, 1],
  [MessageId.haveNone, 1],
  [MessageId.reject, 13],
  [MessageId.allowedFast, 5],
  [MessageId.hashRequest, HASH_FRAME_LENGTH],
  [MessageId.hashReject, HASH_FRAME_LENGTH],
]);

/** Refuses a frame whose length prefix is over the hard cap, before anything else is read. */
export function checkFrameLength(length: number, limits: WireLimits): void {
  if (length > limits.maxMessageLength) {
    throw new WireError('message-too-large', `message of ${length} bytes exceeds the limit of ${limits.maxMessageLength}`);
  }
}

/** Refuses a frame whose length does not fit its id, knowing only the 5-byte header (body not yet read). */
export function checkFrameHeader(length: number, id: number, limits: WireLimits): void {
  checkFrameLength(length, limits);
  const fixed = fixedFrameLength.get(id);
  if (fixed !== undefined) {
    if (length !== fixed) throw badLength(id, length, `${fixed}`);
    return;
  }
  switch (id) {
    case MessageId.bitfield:
      if (limits.pieceCount !== undefined && length !== 1 + Math.ceil(limits.pieceCount / 8)) {
        throw new WireError('bad-bitfield', `bitfield message of ${length - 1} bytes for ${limits.pieceCount} pieces`);
      }
      return;
    case MessageId.piece:
      if (length < 9) throw badLength(id, length, 'at least 9');
      if (length - 9 > limits.maxBlockLength) {
        throw new WireError('message-too-large', `piece block of ${length - 9} bytes exceeds the limit of ${limits.maxBlockLength}`);
      }
      return;
    case MessageId.extended:
      if (length < 2) throw badLength(id, length, 'at least 2');
      return;
    case MessageId.hashes:
      if (length < HASH_FRAME_LENGTH || (length - HASH_FRAME_LENGTH) % 32 !== 0) {
        throw badLength(id, length, '49 plus a multiple of 32');
      }
      return;
  }
}

/**
 * Decodes one frame (id byte + payload, the length prefix removed). Buffers in the result are views of
 * `frame`. Checks the frame against the limits itself, so it is safe on any input.
 */
export function decodeFrame(frame: Buffer, limits: WireLimits): Message {
  if (frame.length === 0) return { type: 'keep-alive' };
  const id = frame[0];
  checkFrameHeader(frame.length, id, limits);
  switch (id) {
    case MessageId.choke:
      return { type: 'choke' };
    case MessageId.unchoke:
      return { type: 'unchoke' };
    case MessageId.interested:
      return { type: 'interested' };
    case MessageId.notInterested:
      return { type: 'not-interested' };
    case MessageId.have:
      return { type: 'have', index: frame.readUInt32BE(1) };
    case MessageId.bitfield: {
      const bytes = frame.subarray(1);
      if (limits.pieceCount !== undefined) checkWireBitfield(bytes, limits.pieceCount);
      return { type: 'bitfield', bytes };
    }
    case MessageId.request:
      return { type: 'request', ...blockRef(frame) };
    case MessageId.piece:
      return { type: 'piece', index: frame.readUInt32BE(1), begin: frame.readUInt32BE(5), block: frame.subarray(9) };
    case MessageId.cancel:
      return { type: 'cancel', ...blockRef(frame) };
    case MessageId.port:
      return { type: 'port', port: frame.readUInt16BE(1) };
    case MessageId.suggest:
      return { type: 'suggest', index: frame.readUInt32BE(1) };
    case MessageId.haveAll:
      return { type: 'have-all' };
    case MessageId.haveNone:
      return { type: 'have-none' };
    case MessageId.reject:
      return { type: 'reject', ...blockRef(frame) };
    case MessageId.allowedFast:
      return { type: 'allowed-fast', index: frame.readUInt32BE(1) };
    case MessageId.extended:
      return { type: 'extended', id: frame[1], payload: frame.subarray(2) };
    case MessageId.hashRequest:
      return { type: 'hash-request', ...hashRange(frame) };
    case MessageId.hashes:
      return { type: 'hashes', ...hashRange(frame), hashes: frame.subarray(HASH_FRAME_LENGTH) };
    case MessageId.hashReject:
      return { type: 'hash-reject', ...hashRange(frame) };
    default:
      return { type: 'unknown', id, payload: frame.subarray(1) };
  }
}

function blockRef(frame: Buffer): { index: number; begin: number; length: number } {
  return { index: frame.readUInt32BE(1), begin: frame.readUInt32BE(5), length: frame.readUInt32BE(9) };
}

function hashRange(frame: Buffer): HashRange {
  return {
    piecesRoot: frame.subarray(1, 33),
    baseLayer: frame.readUInt32BE(33),
    index: frame.readUInt32BE(37),
    length: frame.readUInt32BE(41),
    proofLayers: frame.readUInt32BE(45),
  };
}

function badLength(id: number, length: number, expected: string): WireError {
  return new WireError('bad-length', `message id ${id} has length ${length}, expected ${expected}`);
}
