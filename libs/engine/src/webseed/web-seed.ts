import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Metainfo } from '@seedfleet/metainfo';
import { planFetch } from './fetch-plan';
import { webSeedFileUrls } from './file-urls';
import { type PieceRunResult, runPlan } from './piece-run';
import { absoluteTarget, type RequestTarget } from './request-target';
import { SeedBackoff } from './seed-backoff';
import { WebSeedError } from './web-seed-error';
import { resolveWebSeedOptions, type WebSeedOptions } from './web-seed-options';

/** What a fetch ends with; never thrown. `undelivered` pieces go back to the picker. */
export type WebSeedFetchResult = PieceRunResult;

export interface WebSeedFetch {
  /** First piece of the run. */
  readonly first: number;
  /** One past the last piece. */
  readonly end: number;
  /** A whole piece (pads as zeros), not yet verified; the buffer is the caller's. Called in piece order. */
  readonly onPiece: (index: number, data: Buffer) => void;
  /** Every failure on the way, including those retried (for logs); the final one is also in the result. */
  readonly onError?: (error: WebSeedError) => void;
  /** Ends the fetch early (pieces given to peers meanwhile, torrent paused). */
  readonly signal?: AbortSignal;
}

export interface WebSeedStats {
  /** HTTP exchanges, redirect hops included. */
  readonly requests: number;
  readonly redirects: number;
  /** Body bytes received and accepted. */
  readonly bytesReceived: number;
  readonly failures: number;
  readonly strikes: number;
}

/**
 * One BEP 19 url-list web seed: fetches runs of adjacent pieces over HTTP Range requests (see
 * README.md). Callers ask `canFetch(bytes)`, then `fetch({ first, end, onPiece })`, which resolves with
 * the pieces delivered and not delivered (and why). Network trouble never rejects; only a run outside
 * the torrent's pieces (a bug in the caller) does, with a RangeError.
 * Verification is the caller's: a bad piece is reported with `reportBadPiece`, and enough strikes disable
 * the seed.
 */
export class WebSeed {
  readonly url: string;
  private readonly options: WebSeedOptions;
  private readonly agents: { http: HttpAgent; https: HttpsAgent };
  private readonly backoff: SeedBackoff;
  private readonly fileUrls: string[];
  private readonly targets = new Map<number, RequestTarget>();
  private readonly running = new Set<AbortController>();
  private bytesInFlightNow = 0;
  private disabledBecause: string | undefined;
  private closed = false;
  private counters = { requests: 0, redirects: 0, bytesReceived: 0, failures: 0, strikes: 0 };

  /** Throws WebSeedError 'bad-url' when `url` is not http(s), RangeError for a bad option. */
  constructor(
    private readonly metainfo: Metainfo,
    url: string,
    options: Partial<WebSeedOptions> = {},
  ) {
    this.url = url;
    this.options = resolveWebSeedOptions(options);
    this.fileUrls = webSeedFileUrls(url, metainfo);
    const agentOptions = { keepAlive: true, maxSockets: this.options.maxConcurrentRequests };
    const ca = this.options.ca === undefined ? {} : { ca: this.options.ca as string | Buffer | (string | Buffer)[] };
    this.agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent({ ...agentOptions, ...ca }) };
    this.backoff = new SeedBackoff(this.options);
  }

  /** The URL file `fileIndex` is fetched from (BEP 19 layout), before redirects. */
  fileUrl(fileIndex: number): string {
    return this.fileUrls[fileIndex];
  }

  /** A run of `bytes` (piece bytes) may start now: enabled, a request slot and budget free, not backing off. */
  canFetch(bytes: number): boolean {
    return (
      !this.closed &&
      this.disabledBecause === undefined &&
      this.running.size < this.options.maxConcurrentRequests &&
      this.backoff.remainingMs === 0 &&
      (this.bytesInFlightNow === 0 || this.bytesInFlightNow + bytes <= this.options.maxBytesInFlight)
    );
  }

  /** Budget left for a new run (for sizing it; a run larger than the whole budget may still go alone). */
  get freeBytes(): number {
    return Math.max(0, this.options.maxBytesInFlight - this.bytesInFlightNow);
  }

  get bytesInFlight(): number {
    return this.bytesInFlightNow;
  }

  get activeRequests(): number {
    return this.running.size;
  }

  /** Milliseconds until the seed takes new runs after a failure or Retry-After (0 = now). */
  get backoffMs(): number {
    return this.backoff.remainingMs;
  }

  get disabled(): boolean {
    return this.disabledBecause !== undefined;
  }

  get disabledReason(): string | undefined {
    return this.disabledBecause;
  }

  get stats(): WebSeedStats {
    return { ...this.counters };
  }

  async fetch(request: WebSeedFetch): Promise<WebSeedFetchResult> {
    const plan = planFetch(this.metainfo, request.first, request.end);
    if (this.disabledBecause !== undefined) return this.refused(request, new WebSeedError('disabled', this.url, `disabled: ${this.disabledBecause}`));
    if (this.closed) return this.refused(request, new WebSeedError('aborted', this.url, 'the web seed is closed'));
    if (!this.canFetch(plan.pieceBytes)) return this.refused(request, new WebSeedError('busy', this.url, 'no request slot or byte budget free, or backing off'));

    const controller = new AbortController();
    const forward = () => controller.abort(request.signal?.reason);
    request.signal?.addEventListener('abort', forward, { once: true });
    if (request.signal?.aborted) forward();
    this.running.add(controller);
    this.bytesInFlightNow += plan.pieceBytes;
    const sizes = new Map(plan.pieces.map((piece) => [piece.index, piece.size]));
    try {
      return await runPlan(plan, {
        request: {
          ...this.options,
          agents: this.agents,
          onExchange: () => this.counters.requests++,
          onRedirect: () => this.counters.redirects++,
        },
        backoff: this.backoff,
        maxAttempts: this.options.maxAttempts,
        targetOf: (fileIndex) => this.targetOf(fileIndex),
        fileLength: (fileIndex) => this.metainfo.files[fileIndex].length,
        signal: controller.signal,
        onPiece: (index, data) => {
          this.bytesInFlightNow -= sizes.get(index)!;
          sizes.delete(index);
          try {
            request.onPiece(index, data);
          } catch (error) {
            // The caller's bug, not the server's: end the run without a retry or a strike.
            controller.abort(new WebSeedError('aborted', this.url, `onPiece(${index}) threw: ${error instanceof Error ? error.message : String(error)}`, { cause: error }));
          }
        },
        onBytes: (bytes) => (this.counters.bytesReceived += bytes),
        onFailure: (error) => {
          this.failed(error);
          request.onError?.(error);
        },
      });
    } finally {
      for (const size of sizes.values()) this.bytesInFlightNow -= size;
      request.signal?.removeEventListener('abort', forward);
      this.running.delete(controller);
    }
  }

  /** A piece this seed sent failed verification: a strike (enough of them disable the seed). */
  reportBadPiece(index: number): void {
    this.strike(`piece ${index} failed verification`);
  }

  strike(reason: string): void {
    if (this.disabledBecause !== undefined) return;
    this.counters.strikes++;
    if (this.counters.strikes >= this.options.maxStrikes) this.disable(`${this.counters.strikes} strikes, the last: ${reason}`);
  }

  /** Stops using this seed for good: running fetches end with 'disabled'. */
  disable(reason: string): void {
    if (this.disabledBecause !== undefined) return;
    this.disabledBecause = reason;
    this.abortAll(new WebSeedError('disabled', this.url, `disabled: ${reason}`));
  }

  /** Ends running fetches ('aborted') and closes the keep-alive sockets. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abortAll(new WebSeedError('aborted', this.url, 'the web seed was closed'));
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private failed(error: WebSeedError): void {
    this.counters.failures++;
    if (error.violation) this.strike(error.message);
  }

  private abortAll(reason: WebSeedError): void {
    for (const controller of this.running) controller.abort(reason);
  }

  private targetOf(fileIndex: number): RequestTarget {
    let target = this.targets.get(fileIndex);
    if (!target) {
      target = absoluteTarget(this.fileUrls[fileIndex]);
      this.targets.set(fileIndex, target);
    }
    return target;
  }

  private refused(request: WebSeedFetch, error: WebSeedError): WebSeedFetchResult {
    const undelivered: number[] = [];
    for (let index = request.first; index < request.end; index++) undelivered.push(index);
    return { delivered: [], undelivered, error };
  }
}
