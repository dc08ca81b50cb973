// The engine's public API. policy/'s BlockRef (piece + block number) is exported as PickerBlockRef so it
// cannot be confused with the wire's BlockRef (index + begin + length, in @seedfleet/wire).
export * from './discovery';
export * from './net';
export * from './peer';
export {
  BLOCK_SIZE,
  blockCountsOf,
  type BlockRef as PickerBlockRef,
  type BlockStatus,
  type ChokeDecision,
  type ChokeMode,
  type ChokePeer,
  type ChokeSnapshot,
  DEFAULT_PRIORITY,
  DEFAULT_SNUB_AFTER_MS,
  decideChokes,
  isSnubbed,
  msUntilAll,
  type PeerId as PickerPeerId,
  type PeerPieces,
  type PickOptions,
  PiecePicker,
  type PiecePickerOptions,
  type PieceSet,
  type PieceState,
  PolicyError,
  type PolicyErrorReason,
  type Random,
  randomBelow,
  RateEstimator,
  type RateOptions,
  type ReceiveResult,
  type RequestDepthInput,
  requestQueueDepth,
  type RequestTimeoutInput,
  requestTimeoutMs,
  type SeedChoking,
  seededRandom,
  type SnubInput,
  takeFromAll,
  TokenBucket,
  uniformBlockCounts,
} from './policy';
export { Session, type SessionDhtOptions, type SessionLsdOptions, type SessionOptions } from './session';
export {
  type AddTorrentOptions,
  type PeerAddress,
  type PeerEvent,
  type StartupCheck,
  Torrent,
  TorrentError,
  type TorrentErrorCode,
  type TorrentEvents,
  type TorrentProgress,
  type TorrentState,
} from './torrent';
export * from './storage';
export * from './tracker';
export * from './ban';
export * from './metadata';
export * from './pex';
