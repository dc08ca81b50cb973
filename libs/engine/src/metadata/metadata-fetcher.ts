import { DEFAULT_MAX_METADATA_SIZE, type MetadataMessage, metadataPieceCount } from '@seedfleet/wire';
import { type ExpectedInfoHashes, infoMatches } from './verify-info';

/** A peer that can send us the info dict: the fetcher asks it for pieces and may drop it. */
export interface MetadataSource {
  /** For messages: host:port. */
  readonly key: string;
  request(piece: number): void;
  /** Disconnect: it sent garbage, a dict that fails the hash, or stopped answering. */
  drop(why: string): void;
}

export interface MetadataFetcherOptions extends ExpectedInfoHashes {
  /** Monotonic milliseconds. */
  readonly clock: () => number;
  /** Info dicts above this are refused (default the wire's 16 MiB). */
  readonly maxMetadataSize?: number;
  /** A piece not answered within this is asked of someone else (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Pieces asked of one peer at once (default 4). */
  readonly maxRequestsPerSource?: number;
  /** After a reject, the peer is not asked again for this long (default 5 s). */
  readonly rejectBackoffMs?: number;
  /** Timeouts after which a peer is dropped (default 3). */
  readonly maxTimeouts?: number;
  /** Called once with the verified bytes of the info dict. */
  readonly onMetadata: (infoRaw: Buffer) => void;
}

interface SourceState {
  readonly source: MetadataSource;
  readonly size: number;
  readonly inFlight: Map<number, number>;
  timeouts: number;
  idleUntil: number;
}

/** One try at assembling the dict of one size: pieces, who sent them, and whether only one peer may help. */
interface Attempt {
  readonly size: number;
  readonly pieces: (Buffer | undefined)[];
  readonly senders: (SourceState | undefined)[];
  received: number;
  /** After a dict from several peers failed its hash: the whole dict from one peer, to find the liar. */
  readonly singleSource: boolean;
  sole: SourceState | undefined;
}

/**
 * Fetches a magnet's info dict (BEP 9) from the peers that offer ut_metadata: asks several in parallel
 * for 16 KiB pieces, re-asks pieces that time out or are rejected, drops peers that send garbage, and
 * verifies the whole dict against the magnet's hashes. A dict that fails from a single sender drops that
 * sender; one assembled from several is fetched again from one peer at a time, so only the liar is
 * dropped. Pure over the injected clock: the caller feeds messages and calls tick().
 */
export class MetadataFetcher {
  private readonly sources = new Map<MetadataSource, SourceState>();
  private attempt: Attempt | undefined;
  /** Peers that helped assemble a dict that failed: each gets a turn alone. */
  private readonly suspects = new Set<MetadataSource>();
  private doneValue = false;
  private readonly maxSize: number;
  private readonly timeoutMs: number;
  private readonly perSource: number;

  constructor(private readonly options: MetadataFetcherOptions) {
    this.maxSize = options.maxMetadataSize ?? DEFAULT_MAX_METADATA_SIZE;
    this.timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.perSource = options.maxRequestsPerSource ?? 4;
  }

  get done(): boolean {
    return this.doneValue;
  }

  get sourceCount(): number {
    return this.sources.size;
  }

  /** Pieces of the dict received so far, and how many there are (0 of 0 before any size is known). */
  progress(): { received: number; total: number } {
    return { received: this.attempt?.received ?? 0, total: this.attempt?.pieces.length ?? 0 };
  }

  /** A peer whose extension handshake offers ut_metadata with `metadataSize`. */
  addSource(source: MetadataSource, metadataSize: number | undefined): void {
    if (this.doneValue || this.sources.has(source)) return;
    if (metadataSize === undefined || metadataSize <= 0) return; // it does not have the dict either
    if (metadataSize > this.maxSize) return source.drop(`metadata_size ${metadataSize} is over the ${this.maxSize} bytes we accept`);
    this.sources.set(source, { source, size: metadataSize, inFlight: new Map(), timeouts: 0, idleUntil: 0 });
    this.fill();
  }

  removeSource(source: MetadataSource): void {
    const state = this.sources.get(source);
    if (!state) return;
    this.sources.delete(source);
    this.suspects.delete(source);
    if (this.attempt?.sole === state) this.attempt.sole = undefined;
    this.fill();
  }

  /** A ut_metadata data or reject message from `source` (requests are the server's business). */
  onMessage(source: MetadataSource, message: MetadataMessage): void {
    const state = this.sources.get(source);
    if (!state || this.doneValue) return;
    if (message.type === 'reject') {
      if (state.inFlight.delete(message.piece)) state.idleUntil = this.options.clock() + (this.options.rejectBackoffMs ?? 5_000);
      return this.fill();
    }
    if (message.type !== 'data') return;
    const attempt = this.attempt;
    if (!state.inFlight.delete(message.piece) || !attempt || attempt.size !== state.size) return; // late or unasked: ignored
    if (message.totalSize !== state.size) {
      return this.dropSource(state, `sent total_size ${message.totalSize} after announcing metadata_size ${state.size}`);
    }
    state.timeouts = 0;
    if (attempt.pieces[message.piece] === undefined) {
      // A copy: the payload is a view of the socket's chunk.
      attempt.pieces[message.piece] = Buffer.from(message.data);
      attempt.senders[message.piece] = state;
      attempt.received++;
    }
    if (attempt.received === attempt.pieces.length) return this.finish(attempt);
    this.fill();
  }

  /** Re-asks timed-out pieces and asks idle peers; call about once a second. */
  tick(): void {
    if (this.doneValue) return;
    const now = this.options.clock();
    for (const state of [...this.sources.values()]) {
      let timedOut = false;
      for (const [piece, sentAt] of state.inFlight) {
        if (now - sentAt < this.timeoutMs) continue;
        state.inFlight.delete(piece);
        timedOut = true;
      }
      if (timedOut && ++state.timeouts >= (this.options.maxTimeouts ?? 3)) this.dropSource(state, 'its ut_metadata answers keep timing out');
    }
    this.fill();
  }

  /** Stops asking: the fetch was cancelled. */
  stop(): void {
    this.doneValue = true;
    this.sources.clear();
    this.attempt = undefined;
  }

  private fill(): void {
    if (this.doneValue) return;
    // Everyone announcing this size left: start over on a size someone still has.
    if (this.attempt && ![...this.sources.values()].some((state) => state.size === this.attempt!.size)) this.attempt = undefined;
    const attempt = this.attempt ?? this.newAttempt(this.suspects.size > 0);
    if (!attempt) return;
    const now = this.options.clock();
    const helpers = this.helpersFor(attempt, now);
    if (helpers.length === 0) return;
    const asked = new Set<number>();
    for (const state of this.sources.values()) for (const piece of state.inFlight.keys()) asked.add(piece);
    for (let piece = 0; piece < attempt.pieces.length; piece++) {
      if (attempt.pieces[piece] !== undefined || asked.has(piece)) continue;
      const free = helpers.filter((state) => state.inFlight.size < this.perSource);
      if (free.length === 0) return;
      const least = free.reduce((best, state) => (state.inFlight.size < best.inFlight.size ? state : best));
      least.inFlight.set(piece, now);
      least.source.request(piece);
    }
  }

  /** The peers that may be asked now: any of the attempt's size, or in single-source mode only the chosen one. */
  private helpersFor(attempt: Attempt, now: number): SourceState[] {
    const eligible = [...this.sources.values()].filter((state) => state.size === attempt.size && state.idleUntil <= now);
    if (!attempt.singleSource) return eligible;
    if (attempt.sole && this.sources.has(attempt.sole.source)) return attempt.sole.idleUntil <= now ? [attempt.sole] : [];
    // Suspects first: the point is to give each one the whole dict alone.
    attempt.sole = eligible.find((state) => this.suspects.has(state.source)) ?? eligible[0];
    if (attempt.sole) this.discardOthers(attempt, attempt.sole);
    return attempt.sole ? [attempt.sole] : [];
  }

  /** In single-source mode, pieces from anyone else cannot be trusted to convict the sole sender. */
  private discardOthers(attempt: Attempt, sole: SourceState): void {
    for (let piece = 0; piece < attempt.pieces.length; piece++) {
      if (attempt.senders[piece] === sole || attempt.pieces[piece] === undefined) continue;
      attempt.pieces[piece] = undefined;
      attempt.senders[piece] = undefined;
      attempt.received--;
    }
  }

  /** Starts on the size most peers announce (a liar's odd size loses to the honest majority). */
  private newAttempt(singleSource = false): Attempt | undefined {
    const votes = new Map<number, number>();
    for (const state of this.sources.values()) votes.set(state.size, (votes.get(state.size) ?? 0) + 1);
    if (votes.size === 0) return undefined;
    const size = [...votes].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
    const count = metadataPieceCount(size);
    this.attempt = { size, pieces: new Array(count).fill(undefined), senders: new Array(count).fill(undefined), received: 0, singleSource, sole: undefined };
    return this.attempt;
  }

  private finish(attempt: Attempt): void {
    const infoRaw = Buffer.concat(attempt.pieces as Buffer[], attempt.size);
    if (infoMatches(infoRaw, this.options)) {
      this.doneValue = true;
      for (const state of this.sources.values()) state.inFlight.clear();
      this.options.onMetadata(infoRaw);
      return;
    }
    const senders = new Set(attempt.senders.filter((state): state is SourceState => state !== undefined));
    this.attempt = undefined;
    if (senders.size === 1) {
      const [liar] = senders;
      this.dropSource(liar, 'sent an info dict that does not match the info hash');
    } else {
      for (const state of senders) this.suspects.add(state.source);
    }
    // Keep single-source mode while suspects remain to be tried alone.
    this.newAttempt(this.suspects.size > 0);
    this.fill();
  }

  private dropSource(state: SourceState, why: string): void {
    this.sources.delete(state.source);
    this.suspects.delete(state.source);
    if (this.attempt?.sole === state) this.attempt.sole = undefined;
    state.source.drop(why);
    this.fill();
  }
}
