import { failure, type TrackerFailure } from '../core/failure';
import type { AnnounceEvent } from '../core/types';
import type { RawQuery } from './query-string';

/** An HTTP announce's parameters, validated (BEP 3, 23, 7); the address is resolved separately. */
export interface AnnounceQuery {
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly port: number;
  readonly left: number;
  readonly event: AnnounceEvent;
  /** Undefined when absent. */
  readonly numWant: number | undefined;
  readonly compact: boolean;
  readonly noPeerId: boolean;
  readonly ip: Buffer | undefined;
}

const DIGITS = /^\d{1,20}$/;
const events: Readonly<Record<string, AnnounceEvent>> = { '': 'none', empty: 'none', paused: 'none', started: 'started', completed: 'completed', stopped: 'stopped' };

export function parseAnnounceQuery(query: RawQuery): AnnounceQuery | TrackerFailure {
  const infoHash = single(query, 'info_hash');
  if (infoHash?.length !== 20) return malformed('info_hash must be 20 bytes, percent-encoded');
  const peerId = single(query, 'peer_id');
  if (peerId?.length !== 20) return malformed('peer_id must be 20 bytes');
  const port = integer(query, 'port');
  if (port === undefined || port < 1 || port > 65535) return malformed('port must be 1-65535');
  const left = integer(query, 'left');
  if (left === undefined) return malformed('left must be a non-negative integer');
  for (const name of ['uploaded', 'downloaded'] as const) {
    if (query.has(name) && integer(query, name) === undefined) return malformed(`${name} must be a non-negative integer`);
  }
  const eventText = single(query, 'event') ?? '';
  const event = Object.hasOwn(events, eventText) ? events[eventText] : undefined;
  if (event === undefined) return malformed('event must be started, completed, stopped or empty');
  const numWant = query.has('numwant') ? integer(query, 'numwant') : undefined;
  if (query.has('numwant') && numWant === undefined) return malformed('numwant must be a non-negative integer');
  const compact = flag(query, 'compact', true);
  const noPeerId = flag(query, 'no_peer_id', false);
  if (compact === undefined || noPeerId === undefined) return malformed('compact and no_peer_id must be 0 or 1');
  const ip = single(query, 'ip');
  return { infoHash: Buffer.from(infoHash, 'latin1'), peerId: Buffer.from(peerId, 'latin1'), port, left, event, numWant, compact, noPeerId, ip: ip === undefined ? undefined : Buffer.from(ip, 'latin1') };
}

/** The value of a parameter given once; repeated parameters are ambiguous, so they count as absent. */
function single(query: RawQuery, name: string): string | undefined {
  const values = query.get(name);
  return values?.length === 1 ? values[0] : undefined;
}

/** Non-negative decimal integer; values past 2^53 saturate (only `left` can be that big, and only its zeroness matters). */
function integer(query: RawQuery, name: string): number | undefined {
  const text = single(query, name);
  if (text === undefined || !DIGITS.test(text)) return undefined;
  return Math.min(Number(text), Number.MAX_SAFE_INTEGER);
}

function flag(query: RawQuery, name: string, fallback: boolean): boolean | undefined {
  if (!query.has(name)) return fallback;
  const text = single(query, name);
  return text === '1' ? true : text === '0' ? false : undefined;
}

function malformed(reason: string): TrackerFailure {
  return failure('malformed-request', reason);
}
