import { Announcer, TrackerError, type TransferStats, trackerUrlForLog } from '../tracker';
import type { Random } from '../policy';
import type { PeerAddress } from './swarm';
import type { TorrentEvents } from './torrent-types';

export interface AnnouncingOptions {
  readonly tiers: readonly (readonly string[])[];
  readonly infoHash: Buffer;
  /** Announced too, as separate swarms: a hybrid's truncated v2 hash (BEP 52: its v2 peers meet there). */
  readonly alsoInfoHashes?: readonly Buffer[];
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
 * The torrent's side of the tracker client: an Announcer per info hash and active period (an Announcer
 * is single use, and a pause must tell trackers `stopped`), none when the torrent has no trackers or the session
 * does not listen (a tracker could only hand out a port nobody answers on).
 */
/** How long a first announce without an answer counts as "peers may be on their way" (see firstAnswerPending). */
export const FIRST_ANSWER_GRACE_MS = 2000;

export class Announcing {
  private announcers: Announcer[] = [];
  private stopping: Promise<void> = Promise.resolve();
  private startedAt = 0;
  private answered = false;

  constructor(private readonly options: AnnouncingOptions) {}

  start(): void {
    const { options } = this;
    const port = options.port();
    if (this.announcers.length > 0 || options.tiers.length === 0 || port === 0) return;
    this.startedAt = options.clock();
    this.answered = false;
    this.announcers = [options.infoHash, ...(options.alsoInfoHashes ?? [])].map(
      (infoHash) =>
        new Announcer({
          tiers: options.tiers,
          infoHash,
          peerId: options.peerId,
          port,
          stats: options.stats,
          onPeers: (peers) => {
            this.answered = true;
            options.onPeers(peers);
          },
          onError: (error) => {
            this.answered = true;
            options.onFailure(trackerFailure(error));
          },
          clock: options.clock,
          random: options.random,
        }),
    );
    for (const announcer of this.announcers) announcer.start();
  }

  /**
   * The first announce is out and neither peers nor an error came back yet, for at most
   * FIRST_ANSWER_GRACE_MS (an answer without peers has no callback): web seeds wait for those peers.
   */
  get firstAnswerPending(): boolean {
    return this.announcers.length > 0 && !this.answered && this.options.clock() - this.startedAt < FIRST_ANSWER_GRACE_MS;
  }

  completed(): void {
    for (const announcer of this.announcers) announcer.completed();
  }

  /** More peers wanted: asks as soon as the trackers' min interval allows. */
  wantPeers(): void {
    for (const announcer of this.announcers) announcer.announceNow();
  }

  /** Sends `stopped` (bounded wait inside the Announcer); a second call waits for the same. */
  stop(): Promise<void> {
    const announcers = this.announcers;
    this.announcers = [];
    if (announcers.length > 0) this.stopping = Promise.all(announcers.map((announcer) => announcer.stop())).then(() => undefined);
    return this.stopping;
  }
}

/** What failed and where, announce parameters dropped and passkeys hidden: events end up in logs. */
function trackerFailure(error: Error): TorrentEvents['tracker'] {
  if (!(error instanceof TrackerError)) return { error: error.message };
  const url = trackerUrlForLog(error.url);
  return { error: error.message.replaceAll(error.url, url), url };
}
