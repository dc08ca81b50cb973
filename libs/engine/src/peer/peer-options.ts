import { DEFAULT_MAX_BLOCK_LENGTH, DEFAULT_MAX_MESSAGE_LENGTH } from '@seedfleet/wire';
import { PeerError } from './peer-error';

/** What a connection needs to know about the torrent's pieces to validate indices and block ranges. */
export interface PieceGeometry {
  readonly pieceCount: number;
  /** Bytes in piece `index` (short at the end, and at file ends in v2). */
  pieceSize(index: number): number;
}

/** libtorrent's `max_pieces` default and our metainfo limit; it also keeps block keys exact in a double. */
export const MAX_PIECE_COUNT = 2 ** 21;

export interface PeerTimingOptions {
  /** Send a keep-alive after this long without sending anything (default 100 s; BEP 3 peers drop at 2 min). */
  readonly keepAliveIntervalMs?: number;
  /** Close with 'timeout' after this long without receiving a byte (default 150 s). */
  readonly idleTimeoutMs?: number;
  /** Milliseconds on a monotonic clock (default performance.now). */
  readonly clock?: () => number;
  /** Window of the rate estimators (default 5 s). */
  readonly rateWindowMs?: number;
}

export interface PeerLimitOptions {
  /** Requests from the peer queued at once (default 500, or the reqq we advertised). */
  readonly maxQueuedRequests?: number;
  /** Piece bytes for blocks never requested (nor cancelled) tolerated before 'unrequested-data' (default 1 MiB). */
  readonly maxUnrequestedBytes?: number;
  /** Largest frame and largest block accepted (defaults: the wire's 1 MiB and 16 KiB). */
  readonly maxMessageLength?: number;
  readonly maxBlockLength?: number;
  /** `canSendMore` turns false above this many buffered outgoing bytes (default 1 MiB). */
  readonly sendBufferLimit?: number;
  /** Hard cap on buffered outgoing bytes, hit only by a peer that stops reading: 'slow-reader' (default 16 MiB). */
  readonly maxSendBuffer?: number;
  /** Haves remembered before the piece count is known (magnet links) (default 10,000). */
  readonly maxHavesBeforeGeometry?: number;
}

export type ResolvedPeerOptions = Required<PeerTimingOptions & PeerLimitOptions>;

export function resolvePeerOptions(options: PeerTimingOptions & PeerLimitOptions): ResolvedPeerOptions {
  const resolved: ResolvedPeerOptions = {
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 100_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 150_000,
    clock: options.clock ?? (() => performance.now()),
    rateWindowMs: options.rateWindowMs ?? 5000,
    maxQueuedRequests: options.maxQueuedRequests ?? 500,
    maxUnrequestedBytes: options.maxUnrequestedBytes ?? 1024 * 1024,
    maxMessageLength: options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH,
    maxBlockLength: options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH,
    sendBufferLimit: options.sendBufferLimit ?? 1024 * 1024,
    maxSendBuffer: options.maxSendBuffer ?? 16 * 1024 * 1024,
    maxHavesBeforeGeometry: options.maxHavesBeforeGeometry ?? 10_000,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= 0)) {
      throw new PeerError(`${name} ${value} is not a non-negative integer`);
    }
  }
  if (resolved.keepAliveIntervalMs === 0 || resolved.idleTimeoutMs === 0) {
    throw new PeerError('keepAliveIntervalMs and idleTimeoutMs must be positive');
  }
  return resolved;
}

export function checkGeometry(geometry: PieceGeometry): void {
  const { pieceCount } = geometry;
  if (!Number.isInteger(pieceCount) || pieceCount < 0 || pieceCount > MAX_PIECE_COUNT) {
    throw new PeerError(`piece count ${pieceCount} is not an integer in [0, ${MAX_PIECE_COUNT}]`);
  }
}
