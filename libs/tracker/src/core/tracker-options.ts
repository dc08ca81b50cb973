/** Which torrents and clients the tracker serves. */
export type AccessMode =
  /** Releases: a registered passkey in the URL and a registered info hash (both in the store). */
  | { readonly kind: 'private' }
  /** Public mirrors: info hashes on the allow list (hex, lower case), or any when no list is given. */
  | { readonly kind: 'open'; readonly allow?: ReadonlySet<string> };

export interface TrackerOptions {
  readonly access: AccessMode;
  /** Seconds between regular announces, sent as `interval`. */
  readonly intervalSeconds: number;
  /** Seconds a client must wait between announces, sent as `min interval`; earlier ones get a cached answer. */
  readonly minIntervalSeconds: number;
  /** Peers returned when the client does not say (`numwant` absent, or -1 over UDP). */
  readonly defaultNumWant: number;
  /** Upper bound on peers returned, whatever the client asks. */
  readonly maxNumWant: number;
  /** Info hashes accepted in one scrape. */
  readonly maxScrapeHashes: number;
  /** Sent as `tracker id`; the same for every replica, so a client may switch between them. */
  readonly trackerId: string;
  /** Announcing peers remembered for min-interval answers, per process. */
  readonly answerCacheEntries: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  access: { kind: 'private' },
  intervalSeconds: 1800,
  minIntervalSeconds: 60,
  defaultNumWant: 50,
  maxNumWant: 100,
  maxScrapeHashes: 64,
  trackerId: 'seedfleet',
  answerCacheEntries: 100_000,
};

/** Peers are forgotten after two missed intervals plus slack, like opentracker's default. */
export function peerTtlMs(options: Pick<TrackerOptions, 'intervalSeconds'>): number {
  return options.intervalSeconds * 2_000 + 60_000;
}

/** Throws RangeError naming the first invalid option; config is checked once at boot. */
export function validateTrackerOptions(options: TrackerOptions): TrackerOptions {
  const positive = ['intervalSeconds', 'defaultNumWant', 'maxNumWant', 'maxScrapeHashes', 'answerCacheEntries'] as const;
  for (const name of positive) {
    if (!Number.isSafeInteger(options[name]) || options[name] <= 0) throw new RangeError(`tracker option ${name} must be a positive integer, got ${options[name]}`);
  }
  if (!Number.isSafeInteger(options.minIntervalSeconds) || options.minIntervalSeconds < 0 || options.minIntervalSeconds > options.intervalSeconds) {
    throw new RangeError(`tracker option minIntervalSeconds must be 0-${options.intervalSeconds}, got ${options.minIntervalSeconds}`);
  }
  if (options.defaultNumWant > options.maxNumWant) throw new RangeError('tracker option defaultNumWant must not exceed maxNumWant');
  return options;
}
