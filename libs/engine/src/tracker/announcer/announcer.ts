import type { PeerAddress } from '@seedfleet/wire';
import { type Random } from '../../policy/random';
import { announce } from '../announce';
import { TrackerError } from '../tracker-error';
import type { AnnounceParams, AnnounceResult, TrackerEvent, TrackerRequestOptions } from '../types';
import { DEFAULT_SCHEDULE, intervalDelayMs, minIntervalMs, retryDelayMs, type ScheduleOptions } from './schedule';
import { TierList } from './tier-list';
import { realTimers, type TimerHandle, type Timers } from './timers';
import { TrackerSessions } from './tracker-sessions';

export interface TransferStats {
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
}

export interface AnnouncerOptions extends Partial<ScheduleOptions> {
  /** BEP 12 tiers: lists of tracker URLs, most preferred tier first. */
  readonly tiers: readonly (readonly string[])[];
  readonly infoHash: Buffer;
  readonly peerId: Buffer;
  readonly port: number;
  /** Read at every announce. */
  readonly stats: () => TransferStats;
  /** Peers from a tracker's answer; `source` is the tracker URL. Never called with an empty list. */
  readonly onPeers: (peers: PeerAddress[], source: string) => void;
  /** Every failed announce (a TrackerError with its URL), and anything our callbacks threw. */
  readonly onError?: (error: Error) => void;
  /** Every successful answer, warnings included: for status output and tests. */
  readonly onAnswer?: (result: AnnounceResult, source: string) => void;
  /** Peers asked for (default 50). */
  readonly numwant?: number;
  /** Milliseconds on a monotonic clock (default performance.now). */
  readonly clock?: () => number;
  readonly timers?: Timers;
  /** Shuffles tiers and picks the `key` (default Math.random). */
  readonly random?: Random;
  /** Passed to every announce (timeouts, size limits, UDP retransmission base). */
  readonly request?: TrackerRequestOptions;
  /** How long stop() waits for the `stopped` announces (default 5 s). */
  readonly stopTimeoutMs?: number;
}

type AnnouncerState = 'idle' | 'running' | 'stopping' | 'stopped';

/**
 * Keeps one torrent announced to its trackers (STATE.md): one BEP 12 round at a time, the next one after
 * the tracker's interval, sooner for events, later (exponential backoff) after failures. Nothing it does
 * throws or rejects; failures go to `onError`.
 */
export class Announcer {
  private state: AnnouncerState = 'idle';
  private readonly tiers: TierList;
  private readonly sessions = new TrackerSessions();
  private readonly schedule: ScheduleOptions;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private readonly key: number;
  private timer?: TimerHandle;
  private timerDueAt = Infinity;
  private round?: { promise: Promise<void>; abort: AbortController };
  private roundRequested = false;
  private completedOwed = false;
  private failures = 0;
  private earliestAnnounceAt = -Infinity;
  private stopping?: Promise<void>;

  constructor(private readonly options: AnnouncerOptions) {
    const random = options.random ?? Math.random;
    this.tiers = new TierList(options.tiers, random);
    this.clock = options.clock ?? (() => performance.now());
    this.timers = options.timers ?? realTimers;
    this.key = Math.floor(random() * 0x1_0000_0000) >>> 0;
    this.schedule = {
      retryBaseMs: options.retryBaseMs ?? DEFAULT_SCHEDULE.retryBaseMs,
      retryMaxMs: options.retryMaxMs ?? DEFAULT_SCHEDULE.retryMaxMs,
      minAnnounceIntervalMs: options.minAnnounceIntervalMs ?? DEFAULT_SCHEDULE.minAnnounceIntervalMs,
      maxAnnounceIntervalMs: options.maxAnnounceIntervalMs ?? DEFAULT_SCHEDULE.maxAnnounceIntervalMs,
    };
  }

  /** Announces `started` now and keeps announcing until stop(). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.runRound();
  }

  /** The download finished: tell the tracker now (retried with the next rounds until one succeeds). */
  completed(): void {
    // Before start() there is nothing to say: `started` with left = 0 already tells the tracker.
    if (this.state !== 'running') return;
    this.completedOwed = true;
    this.runRound();
  }

  /** Asks for peers now, or as soon as the tracker's `min interval` allows. */
  announceNow(): void {
    if (this.state !== 'running' || this.round !== undefined) return;
    const waitMs = this.earliestAnnounceAt - this.clock();
    if (waitMs <= 0) this.runRound();
    else if (this.timerDueAt > this.clock() + waitMs) this.scheduleRound(waitMs);
  }

  /** Ends the announcing: aborts a round in flight, then tells every tracker that has us `stopped`, waiting at most stopTimeoutMs. */
  stop(): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    const wasRunning = this.state !== 'idle';
    this.state = 'stopping';
    this.cancelTimer();
    this.round?.abort.abort();
    this.stopping = (async () => {
      await this.round?.promise;
      if (wasRunning) await this.sendStopped();
      this.state = 'stopped';
    })();
    return this.stopping;
  }

  /** Tiers in their current order (after shuffling and promotions). */
  trackers(): string[][] {
    return this.tiers.snapshot();
  }

  private runRound(): void {
    if (this.round !== undefined) {
      this.roundRequested = true;
      return;
    }
    this.cancelTimer();
    const abort = new AbortController();
    const round = { abort, promise: Promise.resolve() };
    this.round = round;
    round.promise = this.announceRound(abort.signal).catch((error: unknown) => this.report(error));
  }

  /**
   * One round, then the next one decided in the same synchronous step that ends this one, so callers of
   * announceNow() and completed() never see a finished round still marked in flight.
   */
  private async announceRound(signal: AbortSignal): Promise<void> {
    const answer = await this.firstAnswer(signal);
    this.round = undefined;
    if (signal.aborted) return;
    if (answer === undefined) this.failures++;
    else this.recordAnswer(answer.url, answer.event, answer.result);
    if (this.roundRequested) {
      this.roundRequested = false;
      this.runRound();
    } else {
      this.scheduleRound(answer === undefined ? retryDelayMs(this.failures, this.schedule) : intervalDelayMs(answer.result, this.schedule));
    }
    if (answer !== undefined) this.deliver(answer.url, answer.result);
  }

  /** BEP 12: trackers in tier order until one answers; the others' errors are reported. */
  private async firstAnswer(signal: AbortSignal): Promise<{ url: string; event?: TrackerEvent; result: AnnounceResult } | undefined> {
    for (const url of this.tiers.order()) {
      if (signal.aborted) return undefined;
      const event = this.sessions.eventFor(url, this.completedOwed);
      try {
        const result = await announce(url, this.params(url, event), { ...this.options.request, signal });
        return { url, event, result };
      } catch (error) {
        if (!signal.aborted) this.report(error);
      }
    }
    return undefined;
  }

  private recordAnswer(url: string, event: TrackerEvent | undefined, result: AnnounceResult): void {
    this.failures = 0;
    this.tiers.promote(url);
    this.sessions.answered(url, result);
    if (event === 'completed') this.completedOwed = false;
    this.earliestAnnounceAt = this.clock() + minIntervalMs(result, this.schedule);
  }

  private deliver(url: string, result: AnnounceResult): void {
    this.callSafely(() => this.options.onAnswer?.(result, url));
    if (result.peers.length > 0) this.callSafely(() => this.options.onPeers(result.peers, url));
  }

  private async sendStopped(): Promise<void> {
    const timeoutMs = this.options.stopTimeoutMs ?? 5000;
    const request = { ...this.options.request, timeoutMs: Math.min(timeoutMs, this.options.request?.timeoutMs ?? Infinity) };
    const sends = this.sessions.startedTrackers().map((url) =>
      Promise.resolve()
        .then(() => announce(url, this.params(url, 'stopped'), request))
        .catch((error: unknown) => this.report(error)),
    );
    await Promise.all(sends);
  }

  private params(url: string, event: TrackerEvent | undefined): AnnounceParams {
    const { uploaded, downloaded, left } = this.options.stats();
    const trackerId = this.sessions.trackerId(url);
    return {
      infoHash: this.options.infoHash,
      peerId: this.options.peerId,
      port: this.options.port,
      uploaded,
      downloaded,
      left,
      key: this.key,
      numwant: event === 'stopped' ? 0 : (this.options.numwant ?? 50),
      ...(event === undefined ? {} : { event }),
      ...(trackerId === undefined ? {} : { trackerId }),
    };
  }

  private scheduleRound(delayMs: number): void {
    this.cancelTimer();
    if (this.state !== 'running') return;
    this.timerDueAt = this.clock() + delayMs;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.timerDueAt = Infinity;
      this.runRound();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = Infinity;
  }

  private report(error: unknown): void {
    const reported = error instanceof Error ? error : new TrackerError('network', '', String(error));
    try {
      this.options.onError?.(reported);
    } catch {
      // The error handler itself failed; there is nobody left to tell.
    }
  }

  private callSafely(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.report(error);
    }
  }
}
