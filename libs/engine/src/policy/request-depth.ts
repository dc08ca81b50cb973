import { BLOCK_SIZE } from './block-counts';
import { PolicyError, checkInteger, checkNumber } from './errors';

export interface RequestDepthInput {
  /** Payload bytes per second this peer has been sending us (see RateEstimator). */
  readonly downloadRate: number;
  readonly blockSize?: number;
  /** Seconds of data to keep requested (default 3): enough to cover the round trip on any link. */
  readonly targetSeconds?: number;
  readonly min?: number;
  readonly max?: number;
  /** The peer's `reqq` from its extension handshake (BEP 10): it drops requests beyond this. */
  readonly peerMaxRequests?: number;
  /** A snubbed peer gets a single request until it delivers again (see snub.ts). */
  readonly snubbed?: boolean;
}

/**
 * How many block requests to keep outstanding with a peer: its rate times `targetSeconds`, in blocks
 * (libtorrent's request_queue_time), so a 1 Gbit/s peer gets hundreds and a slow one a few. Bounded by
 * `min` (default 4, so a new peer can show its speed), `max` (default 500) and the peer's `reqq`.
 */
export function requestQueueDepth(input: RequestDepthInput): number {
  const { blockSize = BLOCK_SIZE, targetSeconds = 3, min = 4, max = 500, peerMaxRequests = Infinity } = input;
  checkInteger('blockSize', blockSize, 1, 2 ** 31);
  checkNumber('targetSeconds', targetSeconds, 0);
  checkInteger('min', min, 1, Number.MAX_SAFE_INTEGER);
  checkInteger('max', max, 1, Number.MAX_SAFE_INTEGER);
  if (min > max) throw new PolicyError('bad-argument', `min ${min} is above max ${max}`);
  // reqq comes from the peer: anything odd (0, negative, NaN) is read as "no stated limit" but still >= 1.
  const peerCap = Number.isFinite(peerMaxRequests) && peerMaxRequests >= 1 ? Math.floor(peerMaxRequests) : Infinity;
  const cap = Math.min(max, peerCap);
  if (input.snubbed === true) return 1;
  const rate = Number.isFinite(input.downloadRate) && input.downloadRate > 0 ? input.downloadRate : 0;
  const wanted = Math.ceil((rate * targetSeconds) / blockSize);
  return Math.max(1, Math.min(cap, Math.max(min, wanted)));
}
