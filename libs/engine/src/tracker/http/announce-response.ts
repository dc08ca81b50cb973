import type { AnnounceResult } from '../types';
import { TrackerError } from '../tracker-error';
import { uniquePeers } from '../unique-peers';
import { parsePeerField } from './peer-list';
import { TrackerDict } from './tracker-dict';

/** Seconds; anything larger is nonsense (BEP 15 carries intervals in 32 bits). */
export const MAX_INTERVAL_SECONDS = 0x7fffffff;

/** An HTTP announce answer (BEP 3, 23, 7). `failure reason` becomes TrackerError 'failure'; throws only TrackerError. */
export function parseAnnounceResponse(body: Buffer, url: string, maxPeers: number): AnnounceResult {
  const dict = TrackerDict.decode(body, url);
  const failure = dict.text('failure reason');
  if (failure !== undefined) throw new TrackerError('failure', url, `the tracker refused: ${failure}`);
  const peers = parsePeerField(dict.raw('peers'), 'ipv4', maxPeers, url);
  peers.push(...parsePeerField(dict.raw('peers6'), 'ipv6', maxPeers - peers.length, url));
  return withoutUndefined({
    interval: dict.requiredCount('interval', MAX_INTERVAL_SECONDS),
    minInterval: dict.count('min interval', MAX_INTERVAL_SECONDS),
    peers: uniquePeers(peers),
    complete: dict.count('complete'),
    incomplete: dict.count('incomplete'),
    trackerId: dict.bytes('tracker id')?.toString('latin1'),
    warning: dict.text('warning message'),
  });
}

/** Results without `key: undefined`, so they compare and print cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
