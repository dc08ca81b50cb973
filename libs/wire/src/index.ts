export { allowedFastSet } from './allowed-fast';
export { Bitfield, checkWireBitfield } from './bitfield';
export { type AddressFamily, compactPeerLength, decodeCompactPeers, encodeCompactPeers, type PeerAddress } from './compact-peer';
export { checkFrameHeader, checkFrameLength, decodeFrame } from './decode';
export { encodedLength, encodeInto, encodeMessage, encodePieceHeader, frameLength, PIECE_HEADER_LENGTH } from './encode';
export { WireError, type WireErrorReason } from './errors';
export { decodeExtensionHandshake, encodeExtensionHandshake, type ExtensionHandshake } from './extension-handshake';
export { Framer, type FramerOptions } from './framer';
export { hashesMessageCount, hashRangeProblem, MAX_HASH_REQUEST_LENGTH, MAX_MERKLE_LAYERS } from './hash-range';
export {
  decodeReserved,
  encodeHandshake,
  encodeReserved,
  HANDSHAKE_HEAD_LENGTH,
  HANDSHAKE_LENGTH,
  type Handshake,
  type HandshakeHead,
  type HandshakeInit,
  parseHandshake,
  parseHandshakeHead,
  type ReservedFlags,
} from './handshake';
export { decodeIp, encodeIp, isIPv4Mapped } from './ip-address';
export { DEFAULT_MAX_BLOCK_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH, resolveLimits, type WireLimits } from './limits';
export { type BlockRef, type HashRange, type Message, MessageId, type MessageType } from './message';
export {
  DEFAULT_MAX_METADATA_SIZE,
  decodeMetadataMessage,
  encodeMetadataMessage,
  METADATA_PIECE_LENGTH,
  type MetadataMessage,
  metadataPieceCount,
} from './ut-metadata';
export { decodePexMessage, encodePexMessage, MAX_PEX_PEERS, PexFlag, type PexMessage, type PexPeer } from './ut-pex';
export * from './mse';
