import { BLOCK_SIZE } from './block-counts';
import { checkNumber } from './errors';

export interface RequestTimeoutInput {
  /** Payload bytes per second from this peer; 0 when not yet measured. */
  readonly downloadRate: number;
  /** Bytes requested from this peer ahead of and including the request (it serves them in order). */
  readonly queuedBytes?: number;
  /** How many times the expected time to wait (default 3): rates wobble, don't time out on a blip. */
  readonly multiplier?: number;
  /** Never time out sooner (default 10 s): covers latency and a peer's disk seek. */
  readonly floorMs?: number;
  /** Never wait longer (default 60 s, libtorrent's request_timeout); also the wait for an unmeasured peer. */
  readonly ceilingMs?: number;
}

/**
 * How long to wait for a requested block before giving it to someone else (PiecePicker.release):
 * max(multiplier x expected time, floor), capped by the ceiling. The expected time is the bytes queued ahead
 * at the peer's measured rate.
 */
export function requestTimeoutMs(input: RequestTimeoutInput): number {
  const { queuedBytes = BLOCK_SIZE, multiplier = 3, floorMs = 10_000, ceilingMs = 60_000 } = input;
  checkNumber('queuedBytes', queuedBytes, 0);
  checkNumber('multiplier', multiplier, 0);
  checkNumber('floorMs', floorMs, 0);
  checkNumber('ceilingMs', ceilingMs, floorMs);
  const rate = Number.isFinite(input.downloadRate) && input.downloadRate > 0 ? input.downloadRate : 0;
  if (rate === 0) return ceilingMs;
  const expectedMs = (queuedBytes / rate) * 1000;
  return Math.min(ceilingMs, Math.max(floorMs, multiplier * expectedMs));
}

