import { DEFAULT_MIN_RUN_BYTES, nextRun, type PieceRun, WebSeed, WebSeedError, type WebSeedOptions } from '../webseed';
import { OriginShare } from '../webseed/origin-share';
import { DEFAULT_ORIGIN_STALL_MS, type OriginMode, type OriginScope, originScope } from '../webseed/origin-policy';
import { RateDebt } from './rate-debt';
import type { Requester } from './requester';
import { deliverWholePiece, releaseClaim } from './web-seed-pieces';
import type { TorrentCore } from './torrent-core';
import type { AddTorrentOptions, SessionLink } from './torrent-options';

/** Web-seed requests at once per torrent, over all its seeds (default). */
export const DEFAULT_WEB_SEED_REQUESTS = 4;
/** Largest run asked in one go: large enough for few requests, small enough to share the work with peers. */
const MAX_RUN_BYTES = 8 * 1024 * 1024;

/** What decides how a torrent uses its web seeds (from AddTorrentOptions; see webSeedSettings). */
export interface WebSeedSettings {
  /** url-list entries (deduplicated here). */
  readonly urls: readonly string[];
  readonly mode: OriginMode;
  /** assist: the download rate wanted, bytes per second. */
  readonly downloadGoal?: number;
  /** Requests at once over all seeds of the torrent. */
  readonly maxRequests?: number;
  /** Peers silent this long count as stalled (fallback fetches anything then). */
  readonly stallMs?: number;
  readonly seedOptions?: Partial<WebSeedOptions>;
  /** Our peer id (hex): downloaders share the origin's pieces out by it (OriginShare). */
  readonly selfId: string;
}

export interface WebSeedingOptions extends WebSeedSettings {
  /** Peers may be on their way from elsewhere (a first tracker announce in flight). */
  readonly peersExpected: () => boolean;
  /** The peer side: dials in progress, idle buffers to drop, endgame cancels. */
  readonly peers: {
    readonly swarm: { readonly dialing: number };
    readonly requester: Pick<Requester, 'dropIdleBuffers' | 'cancelAt'>;
  };
  /** Every block of the piece is in the assembler: verify and store it. */
  readonly onPieceComplete: (index: number) => void;
  /** A run ended with an error (after the seed's own retries), or a url-list entry is unusable. */
  readonly onError: (error: WebSeedError) => void;
}

/** The torrent's web-seed settings: its url-list unless given, origin 'fallback' unless given, the session's clock. */
export function webSeedSettings(options: AddTorrentOptions, session: Pick<SessionLink<unknown>, 'clock' | 'random' | 'peerId'>): WebSeedSettings {
  return {
    selfId: session.peerId.toString('hex'),
    urls: options.webSeeds ?? options.metainfo.urlList,
    mode: options.origin ?? 'fallback',
    downloadGoal: options.downloadGoal,
    maxRequests: options.maxWebSeedRequests,
    seedOptions: { clock: session.clock, random: session.random, ...options.webSeedOptions },
  };
}

interface SeedSlot {
  readonly url: string;
  /** The seed's name in the picker and the assembler (blame): never a peer's. */
  readonly source: string;
  seed: WebSeed | undefined;
  /** Disabled for good (strikes, a bad URL): not made again on resume. */
  disabledReason: string | undefined;
  /** Bytes received by the seeds of earlier activations. */
  bytesBefore: number;
}

/**
 * A torrent's BEP 19 web seeds: decides with the origin policy which missing pieces they fetch, in runs
 * of adjacent pieces (nextRun: 1 MiB or more when possible), claims those pieces in the picker before
 * fetching so peers are not asked for them, feeds delivered pieces through the assembler to the same
 * verification as peers' blocks (sender = the seed's source name), and gives undelivered ones back.
 * Bounded by the torrent's request cap, the picker's partial-piece budget (the assembly memory) and the
 * download rate limit (bytes owed are taken from the buckets before the next run starts).
 */
export class WebSeeding {
  private readonly slots: SeedSlot[];
  private readonly bySource = new Map<string, SeedSlot>();
  private active = false;
  private runs = 0;
  /** Pieces claimed by web seeds and not yet delivered or given back. */
  private claimed = 0;
  /** Peers' payload bytes at the last look, and when they last grew (the stall rule). */
  private lastPeerBytes = 0;
  private lastPeerProgressAt = 0;
  private nextSlot = 0;
  /** Where this torrent starts looking for runs: downloaders starting at different places fetch different pieces. */
  private readonly startAt: number;
  private readonly share: OriginShare;
  /** Each peer's piece count and when it last grew: peers whose count grows are downloading too. */
  private readonly peerGrowth = new Map<string, { count: number; at: number }>();
  /** Runs started in the 'any' scope (no peer could help, or peers stalled). */
  private readonly unrestricted = new Set<AbortController>();
  private readonly debt: RateDebt;

  constructor(
    private readonly core: TorrentCore,
    private readonly options: WebSeedingOptions,
  ) {
    const urls = options.mode === 'off' ? [] : [...new Set(options.urls)];
    this.slots = urls.map((url, index) => ({ url, source: `webseed#${index} ${url}`, seed: undefined, disabledReason: undefined, bytesBefore: 0 }));
    for (const slot of this.slots) {
      this.bySource.set(slot.source, slot);
      core.picker.addPeer(slot.source, 'none');
    }
    this.debt = new RateDebt(core.downGate, () => this.schedule());
    this.startAt = Math.floor(core.random() * core.metainfo.pieceCount);
    this.share = new OriginShare(core.metainfo, options.selfId);
  }

  /** Bytes received from web seeds (HTTP body bytes accepted, retries included). */
  get downloaded(): number {
    let total = 0;
    for (const slot of this.slots) total += slot.bytesBefore + (slot.seed?.stats.bytesReceived ?? 0);
    return total;
  }

  /** Web seeds still in use (not disabled by strikes or a bad URL). */
  get count(): number {
    return this.slots.filter((slot) => slot.disabledReason === undefined && !slot.seed?.disabled).length;
  }

  /** Requests (runs) in flight. */
  get activeRuns(): number {
    return this.runs;
  }

  /** A piece from `sender` failed its hash: a strike against the web seed. False when the sender is a peer. */
  strike(sender: string, index: number): boolean {
    const slot = this.bySource.get(sender);
    if (!slot) return false;
    const seed = slot.seed;
    if (!seed || seed.disabled) return true;
    seed.reportBadPiece(index);
    // Fetches still running end with 'disabled' and report it; with none running, say it here.
    if (seed.disabled && seed.activeRequests === 0) this.options.onError(new WebSeedError('disabled', slot.url, `disabled: ${seed.disabledReason}`));
    return true;
  }

  /** Downloading began or resumed: seeds are made (a disabled one stays off) and runs start. */
  start(): void {
    if (this.active || this.slots.length === 0) return;
    this.active = true;
    this.lastPeerProgressAt = this.core.clock();
    this.lastPeerBytes = this.core.stats.received;
    for (const slot of this.slots) {
      if (slot.seed || slot.disabledReason !== undefined) continue;
      try {
        slot.seed = new WebSeed(this.core.metainfo, slot.url, this.options.seedOptions);
      } catch (error) {
        const wrapped = error instanceof WebSeedError ? error : new WebSeedError('bad-url', slot.url, String(error), { cause: error });
        slot.disabledReason = wrapped.message;
        this.options.onError(wrapped);
      }
    }
    this.schedule();
  }

  /** Paused, stopped or complete: every fetch is aborted (its pieces go back), sockets closed. */
  stop(): void {
    this.active = false;
    this.debt.stop();
    for (const slot of this.slots) {
      const { seed } = slot;
      if (!seed) continue;
      slot.bytesBefore += seed.stats.bytesReceived;
      if (seed.disabled) slot.disabledReason = seed.disabledReason;
      slot.seed = undefined;
      seed.close();
    }
  }

  /** Starts runs while the policy, the request cap, the memory budget and the rate limit allow. */
  schedule(): void {
    if (!this.active) return;
    const { downGate, stats, metainfo } = this.core;
    const now = this.core.clock();
    if (stats.received !== this.lastPeerBytes) {
      this.lastPeerBytes = stats.received;
      this.lastPeerProgressAt = now;
    }
    if (!this.debt.pay(now)) return;
    const scope = originScope({
      mode: this.options.mode,
      now,
      ...this.peerCounts(),
      lastPeerProgressAt: this.lastPeerProgressAt,
      peerDownRate: this.peerDownRate(now),
      downloadGoal: this.options.downloadGoal,
      stallMs: this.options.stallMs ?? DEFAULT_ORIGIN_STALL_MS,
    });
    // Runs started while anything was allowed end once peers can help: their pieces are shared out anew.
    if (scope !== 'any') for (const controller of this.unrestricted) controller.abort();
    if (scope === 'none') return;
    // Under a rate limit: one run at a time, no larger than the tokens there are (at least a piece), its
    // bytes taken when it starts; what the buckets could not give is owed, and owing stops new runs.
    const tokens = downGate.allowed(Number.MAX_SAFE_INTEGER, 1, now);
    const limited = tokens < Number.MAX_SAFE_INTEGER;
    // Only pieces peers lack: one 1 MiB run at a time, so the pieces other downloaders fetch from the
    // origin meanwhile show up as their haves before we ask for more (origin bytes near the file size).
    const sharing = scope === 'peerless';
    const maxRuns = limited || sharing ? 1 : (this.options.maxRequests ?? DEFAULT_WEB_SEED_REQUESTS);
    const runCap = sharing ? DEFAULT_MIN_RUN_BYTES : MAX_RUN_BYTES;
    const rateBytes = limited ? Math.max(metainfo.pieceLength, tokens) : runCap;
    // Round robin over the seeds until the cap is reached or a whole round started nothing.
    for (let idle = 0; idle < this.slots.length && this.runs < maxRuns; ) {
      const slot = this.slots[this.nextSlot++ % this.slots.length];
      const seed = slot.seed;
      idle++;
      if (!seed || seed.disabled || seed.backoffMs > 0) continue;
      const room = this.pieceRoom(scope);
      if (room <= 0) return;
      const run = this.pickRun(scope, Math.min(runCap, rateBytes, seed.freeBytes, room * metainfo.pieceLength));
      if (!run) return;
      if (!seed.canFetch(run.bytes)) continue;
      if (this.fetch(slot, seed, run, scope)) idle = 0;
      if (!this.debt.pay(this.core.clock())) return;
    }
  }

  /**
   * Pieces web seeds may claim now: what the memory budget leaves, and while peers are connected at most
   * half the budget, so peers always have pieces to start.
   */
  private pieceRoom(scope: OriginScope): number {
    const { picker } = this.core;
    const room = picker.startRoom;
    if (scope === 'peerless' || this.peerCounts().announcedPeers === 0) return room;
    const half = Math.ceil((picker.startRoom + picker.partialCount) / 2);
    return Math.min(room, half - this.claimed);
  }

  /** The next run: pieces no connected peer has first; any missing piece when the scope allows. */
  private pickRun(scope: OriginScope, maxRunBytes: number): PieceRun | undefined {
    const { picker, metainfo } = this.core;
    const queued = (index: number) => picker.pieceState(index) === 'queued';
    const limits = { maxRunBytes, startAt: this.startAt };
    const ours = this.share.ownedAmong(this.downloadingPeers());
    const peerless = nextRun(metainfo, (index) => queued(index) && picker.availability(index) === 0 && ours(index), limits);
    if (peerless || scope === 'peerless') return peerless;
    return nextRun(metainfo, queued, limits);
  }

  /** Claims the run's pieces and fetches them; false when none could be claimed. */
  private fetch(slot: SeedSlot, seed: WebSeed, run: PieceRun, scope: OriginScope): boolean {
    const { picker } = this.core;
    const pending = new Set<number>();
    for (let index = run.first; index < run.end && picker.claim(slot.source, index); index++) pending.add(index);
    if (pending.size === 0) return false;
    this.runs++;
    this.claimed += pending.size;
    for (const index of pending) this.debt.owe(this.core.geometry.pieceSize(index));
    const controller = new AbortController();
    if (scope === 'any') this.unrestricted.add(controller);
    const giveBack = (index: number) => {
      if (!pending.delete(index)) return;
      this.claimed--;
      releaseClaim(this.core, slot.source, index, this.options.peers.requester);
    };
    void seed
      .fetch({
        first: run.first,
        end: run.first + pending.size,
        signal: controller.signal,
        onPiece: (index, data) => {
          if (!pending.delete(index)) return;
          this.claimed--;
          this.core.stats.downRate.add(data.length, this.core.clock());
          deliverWholePiece(this.core, slot.source, index, data, this.options);
        },
      })
      .then((result) => {
        result.undelivered.forEach(giveBack);
        if (result.error && result.error.code !== 'aborted') this.options.onError(result.error);
      })
      .catch((error: unknown) => this.options.onError(new WebSeedError('aborted', slot.url, `fetch failed: ${String(error)}`, { cause: error })))
      .finally(() => {
        this.unrestricted.delete(controller);
        [...pending].forEach(giveBack);
        this.runs--;
        this.schedule();
      });
    return true;
  }

  /**
   * Peers downloading alongside us (their peer ids): not seeds, and their piece count grew within the
   * stall time (or they connected within it). A partial seed that never grows drops out, and its share
   * of the origin's pieces comes back to the rest.
   */
  private downloadingPeers(): string[] {
    const now = this.core.clock();
    const stallMs = this.options.stallMs ?? DEFAULT_ORIGIN_STALL_MS;
    const ids: string[] = [];
    const seen = new Set<string>();
    for (const peer of this.core.peers.values()) {
      const pieces = peer.connection.pieces;
      if (!peer.inPicker || !pieces || pieces.isFull) continue;
      seen.add(peer.id);
      let growth = this.peerGrowth.get(peer.id);
      if (!growth) this.peerGrowth.set(peer.id, (growth = { count: pieces.count, at: peer.connectedAt }));
      if (pieces.count !== growth.count) {
        growth.count = pieces.count;
        growth.at = now;
      }
      if (now - growth.at < stallMs) ids.push(peer.peerIdHex);
    }
    for (const id of this.peerGrowth.keys()) if (!seen.has(id)) this.peerGrowth.delete(id);
    return ids;
  }

  private peerCounts(): { announcedPeers: number; pendingPeers: number } {
    let announcedPeers = 0;
    for (const peer of this.core.peers.values()) if (peer.inPicker) announcedPeers++;
    const expected = this.options.peersExpected() ? 1 : 0;
    return { announcedPeers, pendingPeers: expected + this.options.peers.swarm.dialing + this.core.peers.size - announcedPeers };
  }

  private peerDownRate(now: number): number {
    let rate = 0;
    for (const peer of this.core.peers.values()) rate += peer.connection.downloadRate(now);
    return rate;
  }
}
