export type { DhtPortExchange } from './dht-port';
export { type DisconnectCode, type DisconnectReason, disconnectReason, reasonFromError } from './disconnect-reason';
export { PeerConnection, type PeerConnectionInit } from './peer-connection';
export { PeerError } from './peer-error';
export type { HashMessage, PeerHandler } from './peer-handler';
export { clientFromPeerId, generatePeerId, PEER_ID_PREFIX } from './peer-id';
export { MAX_PIECE_COUNT, type PeerLimitOptions, type PeerTimingOptions, type PieceGeometry } from './peer-options';
