import { Announcer, TrackerError, type TransferStats, trackerUrlForLog } from '../tracker';
import type { Random } from '../policy';
import type { PeerAddress } from './swarm';
import type { TorrentEvents } from './torrent-types';

export interface AnnouncingOptions {
  readonly tiers: readonly (readonly string[])[];
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly port: () => number;
  readonly stats: () => TransferStats;
  readonly onPeers: (peers: PeerAddress[]) => void;
  /** An announce failed (the Announcer retries with backoff): the torrent's 'tracker' event. */
  readonly onFailure: (failure: TorrentEvents['tracker']) => void;
  readonly clock: () => number;
  readonly random: Random;
}

/**
 * The torrent's side of the tracker client: an Announcer per active period (an Announcer is single
 * use, and a pause must tell trackers `stopped`), none when the torrent has no trackers or the session
 * does not listen (a tracker could only hand out a port nobody answers on).
 */
export class Announcing {
  private announcer: Announcer | undefined;
  private stopping: Promise<void> = Promise.resolve();

  constructor(private readonly options: AnnouncingOptions) {}

  start(): void {
    const { options } = this;
    const port = options.port();
    if (this.announcer || options.tiers.length === 0 || port === 0) return;
    this.announcer = new Announcer({
      tiers: options.tiers,
      infoHash: options.infoHash,
      peerId: options.peerId,
      port,
      stats: options.stats,
      onPeers: (peers) => options.onPeers(peers),
      onError: (error) => options.onFailure(trackerFailure(error)),
      clock: options.clock,
      random: options.random,
    });
    this.announcer.start();
  }

  completed(): void {
    this.announcer?.completed();
  }

  /** More peers wanted: asks as soon as the trackers' min interval allows. */
  wantPeers(): void {
    this.announcer?.announceNow();
  }

  /** Sends `stopped` (bounded wait inside the Announcer); a second call waits for the same. */
  stop(): Promise<void> {
    const announcer = this.announcer;
    this.announcer = undefined;
    if (announcer) this.stopping = announcer.stop();
    return this.stopping;
  }
}

/** What failed and where, announce parameters dropped and passkeys hidden: events end up in logs. */
function trackerFailure(error: Error): TorrentEvents['tracker'] {
  if (!(error instanceof TrackerError)) return { error: error.message };
  const url = trackerUrlForLog(error.url);
  return { error: error.message.replaceAll(error.url, url), url };
}
