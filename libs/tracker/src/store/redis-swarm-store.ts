import { memberBytes, parseCompactAddress } from '../core/address';
import type { TrackerFailure } from '../core/failure';
import { type Locality, type MemberBytes, NO_LOCALITY, PEER_ID_LENGTH, type PeerAddress, type SwarmCounts, type SwarmPeer } from '../core/types';
import { ANNOUNCE_SCRIPT, announceBits } from './announce-script';
import { unknownPasskey, unregistered } from './memory-swarm-store';
import { RedisReplyError, RedisScriptError, type RedisPort } from './redis-port';
import { RedisScript } from './redis-script';
import { SCRAPE_SCRIPT } from './scrape-script';
import { checkRegistration, type StoreAnnounce, type StoreAnnounceResult, type StoreScrape, type SwarmStore, type SwarmStoreOptions, type TrackerRegistry } from './swarm-store';

export interface RedisSwarmStoreOptions extends SwarmStoreOptions {
  /** Prepended to every key, e.g. "seedfleet:tracker:"; lets one Redis hold several trackers. */
  readonly keyPrefix: string;
  /** How long a swarm's completed counter outlives its last completion (default 30 days). */
  readonly downloadedTtlMs?: number;
  /** Where the sampled windows of seeders and leechers start (default Math.random). */
  readonly random?: () => number;
  /**
   * Most announces sent to Redis in one EVALSHA (default 64): a batch holds Redis for its whole run,
   * ~20-30 µs per announce under S4 load.
   */
  readonly maxAnnounceBatch?: number;
  /**
   * Batches sent and not yet answered (default 2). Announces arriving meanwhile wait for a later batch,
   * so batches grow with the load: the script's cost per announce falls with the batch (S4: ~40 µs of
   * Redis CPU at 16 per batch, ~26 at 64), and an idle tracker still sends each announce at once. With
   * 1, Redis and the tracker take turns (one runs a batch while the other waits); 2 lets the tracker
   * answer one batch while Redis runs the next.
   */
  readonly maxBatchesInFlight?: number;
}

export const DEFAULT_MAX_ANNOUNCE_BATCH = 64;
export const DEFAULT_MAX_BATCHES_IN_FLIGHT = 2;

interface PendingAnnounce {
  readonly request: StoreAnnounce;
  resolve(result: StoreAnnounceResult | TrackerFailure): void;
  reject(error: Error): void;
}

const announceScript = new RedisScript(ANNOUNCE_SCRIPT);
const scrapeScript = new RedisScript(SCRAPE_SCRIPT);
const IPV4_MEMBER_LENGTH = PEER_ID_LENGTH + 6;

/**
 * Swarms in Redis, shared by any number of tracker replicas. Keys (prefix P, info hash hex H):
 * P swarm:H:seeders / :leechers (zset member -> expiry), :meta (hash), :downloaded, :z:ZONE / :r:REGION
 * (locality zsets, member -> expiry); P passkeys (hash passkey -> "zone|region"), P torrents (set of hex info hashes).
 * A scrape is one EVALSHA, and so are the announces of one event-loop turn. Not for Redis Cluster: the
 * scripts touch keys of several slots.
 */
export class RedisSwarmStore implements SwarmStore, TrackerRegistry {
  /** Commands sent so far; the bench and the tests read it to check one round trip per announce. */
  roundTrips = 0;
  private readonly counted: RedisPort;
  private readonly random: () => number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private pending: PendingAnnounce[] = [];
  private sendScheduled = false;
  private inFlight = 0;

  constructor(
    private readonly redis: RedisPort,
    private readonly options: RedisSwarmStoreOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.maxBatch = options.maxAnnounceBatch ?? DEFAULT_MAX_ANNOUNCE_BATCH;
    if (!Number.isSafeInteger(this.maxBatch) || this.maxBatch < 1) throw new RangeError(`maxAnnounceBatch must be a positive integer, not ${options.maxAnnounceBatch}`);
    this.maxInFlight = options.maxBatchesInFlight ?? DEFAULT_MAX_BATCHES_IN_FLIGHT;
    if (!Number.isSafeInteger(this.maxInFlight) || this.maxInFlight < 1) throw new RangeError(`maxBatchesInFlight must be a positive integer, not ${options.maxBatchesInFlight}`);
    this.counted = {
      send: (command, args) => {
        this.roundTrips++;
        return redis.send(command, args);
      },
    };
  }

  /**
   * Announces issued in one event-loop turn go to Redis together, as one EVALSHA of the batch script (at
   * most maxAnnounceBatch each, and at most maxBatchesInFlight unanswered; later ones wait for a turn
   * after an answer): each is still applied atomically and in order, and answered on its own.
   */
  announce(request: StoreAnnounce): Promise<StoreAnnounceResult | TrackerFailure> {
    return new Promise((resolve, reject) => {
      this.pending.push({ request, resolve, reject });
      this.scheduleSend();
    });
  }

  private scheduleSend(): void {
    if (this.sendScheduled || this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    this.sendScheduled = true;
    // After this turn's I/O callbacks: every announce that arrived with them joins the batch.
    setImmediate(this.sendScheduledAnnounces);
  }

  private readonly sendScheduledAnnounces = (): void => {
    this.sendScheduled = false;
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) this.sendAnnounces();
  };

  private sendAnnounces(): void {
    const batch = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch);
    this.pending = batch === this.pending ? [] : this.pending.slice(this.maxBatch);
    let args: (string | number | Buffer)[];
    try {
      args = this.announceArguments(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error as Error);
      return;
    }
    this.inFlight++;
    const answered = (): void => {
      this.inFlight--;
      this.scheduleSend();
    };
    announceScript.run(this.counted, [this.passkeysKey, this.torrentsKey, this.publicTorrentsKey], args).then(
      (replies) => {
        answered();
        if (!Array.isArray(replies) || replies.length !== batch.length) {
          const error = new RedisReplyError(`announce script returned ${Array.isArray(replies) ? `${replies.length} replies for ${batch.length} announces` : typeof replies}`);
          for (const pending of batch) pending.reject(error);
          return;
        }
        batch.forEach((pending, index) => {
          try {
            pending.resolve(this.announceResult(replies[index]));
          } catch (error) {
            pending.reject(error as Error);
          }
        });
      },
      (error: Error) => {
        answered();
        for (const pending of batch) pending.reject(error);
      },
    );
  }

  private announceArguments(batch: readonly PendingAnnounce[]): (string | number | Buffer)[] {
    const args: (string | number | Buffer)[] = [this.options.peerTtlMs, this.options.downloadedTtlMs ?? 30 * 24 * 3600_000, this.swarmsPrefix];
    for (const { request } of batch) {
      // Fields in the order of ANNOUNCE_FIELDS (see ANNOUNCE_SCRIPT).
      args.push(
        request.now,
        request.infoHash.toString('hex'),
        request.member ?? memberBytes(request.peerId, request.address),
        request.sampleSize,
        request.passkey ?? '',
        announceBits(Math.floor(this.random() * 2 ** 31), request.requireRegistered ? (request.publicOnly ? 2 : 1) : 0, request.seeder, request.event),
      );
    }
    return args;
  }

  private announceResult(reply: unknown): StoreAnnounceResult | TrackerFailure {
    if (!Array.isArray(reply)) throw new RedisReplyError(`announce script returned ${typeof reply} for an announce`);
    if (reply[0] === 1) return unknownPasskey();
    if (reply[0] === 2) return unregistered();
    if (reply[0] === 3) throw new RedisScriptError(`announce failed in Redis: ${String(reply[1])}`);
    const [, complete, incomplete, downloaded, zoneBytes, regionBytes, labelled, seeders, leechers] = reply as AnnounceReply;
    // Mostly empty (open mode): no conversion then.
    const zone = zoneBytes.length === 0 ? '' : String(zoneBytes);
    const region = regionBytes.length === 0 ? '' : String(regionBytes);
    const candidates: SwarmPeer[] = [];
    const owned = this.redis.ownsReplies === true;
    // Locality groups come first and may reappear in the seeders and leechers windows.
    const offered = labelled.length > 0 ? new Set<string>() : undefined;
    for (let index = 0; index + 1 < labelled.length; index += 2) {
      const kind = labelled[index + 1] as number;
      const locality = kind <= 2 ? { zone, region } : { zone: '', region };
      const peer = parseMember(labelled[index] as Buffer, owned, kind === 1 || kind === 3, locality);
      if (!peer) continue;
      offered!.add((labelled[index] as Buffer).toString('latin1'));
      candidates.push(peer);
    }
    addCandidates(candidates, seeders, true, owned, offered);
    addCandidates(candidates, leechers, false, owned, offered);
    return { counts: { complete, incomplete, downloaded }, candidates, locality: zone === '' && region === '' ? NO_LOCALITY : { zone, region } };
  }

  async scrape(request: StoreScrape): Promise<readonly (SwarmCounts | undefined)[] | TrackerFailure> {
    const reply = await scrapeScript.run(
      this.counted,
      [this.passkeysKey, request.publicOnly ? this.publicTorrentsKey : this.torrentsKey],
      [request.now, request.passkey ?? '', request.requireRegistered ? '1' : '0', this.swarmsPrefix, ...request.infoHashes.map((hash) => hash.toString('hex'))],
    );
    if (!Array.isArray(reply)) throw new RedisReplyError(`scrape script returned ${typeof reply}`);
    if (reply[0] === 1) return unknownPasskey();
    return request.infoHashes.map((_, index) => {
      const [registered, complete, incomplete, downloaded] = reply.slice(1 + index * 4, 5 + index * 4) as number[];
      return registered === 1 ? { complete, incomplete, downloaded } : undefined;
    });
  }

  async registerInfoHash(infoHash: Buffer, options: { public?: boolean } = {}): Promise<void> {
    const hex = infoHash.toString('hex');
    await this.counted.send('SADD', [this.torrentsKey, hex]);
    await this.counted.send(options.public ? 'SADD' : 'SREM', [this.publicTorrentsKey, hex]);
  }

  async unregisterInfoHash(infoHash: Buffer): Promise<void> {
    const hex = infoHash.toString('hex');
    await this.counted.send('SREM', [this.publicTorrentsKey, hex]);
    await this.counted.send('SREM', [this.torrentsKey, hex]);
  }

  async registerPasskey(passkey: string, locality: Locality): Promise<void> {
    checkRegistration(passkey, locality);
    await this.counted.send('HSET', [this.passkeysKey, passkey, `${locality.zone}|${locality.region}`]);
  }

  async revokePasskey(passkey: string): Promise<void> {
    await this.counted.send('HDEL', [this.passkeysKey, passkey]);
  }

  /** Swarm keys are this, the info hash in hex, then `:seeders` etc. (the scripts add the rest). */
  private get swarmsPrefix(): string {
    return `${this.options.keyPrefix}swarm:`;
  }

  private get passkeysKey(): string {
    return `${this.options.keyPrefix}passkeys`;
  }

  private get torrentsKey(): string {
    return `${this.options.keyPrefix}torrents`;
  }

  /** Registered info hashes also served without a passkey (public releases). */
  private get publicTorrentsKey(): string {
    return `${this.options.keyPrefix}public-torrents`;
  }
}

/** The announce script's answer when access is granted (see ANNOUNCE_SCRIPT). */
type AnnounceReply = [0, number, number, number, Buffer, Buffer, (Buffer | number)[], Buffer[] | Buffer, Buffer[] | Buffer];

/** Seeders or leechers from the script: a list of members, or IPv4 members joined (26 bytes each). */
function addCandidates(candidates: SwarmPeer[], members: Buffer[] | Buffer, seeder: boolean, owned: boolean, offered: Set<string> | undefined): void {
  if (Array.isArray(members)) {
    for (const stored of members) {
      if (offered?.has(stored.toString('latin1'))) continue;
      const peer = parseMember(stored, owned, seeder, NO_LOCALITY);
      if (peer) candidates.push(peer);
    }
    return;
  }
  // Candidates read the joined members in place.
  const joined = owned ? members : Buffer.from(members);
  for (let start = 0; start + IPV4_MEMBER_LENGTH <= joined.length; start += IPV4_MEMBER_LENGTH) {
    if (offered?.has(joined.toString('latin1', start, start + IPV4_MEMBER_LENGTH))) continue;
    candidates.push(new StoredPeer(joined, start, start + IPV4_MEMBER_LENGTH, seeder, NO_LOCALITY));
  }
}

/** member = peer id + compact address (6 or 18 bytes); undefined for anything else. */
function parseMember(member: Buffer, owned: boolean, seeder: boolean, locality: Locality): SwarmPeer | undefined {
  if (member.length !== PEER_ID_LENGTH + 6 && member.length !== PEER_ID_LENGTH + 18) return undefined;
  // Answers are cached for a while: a view would keep a whole socket chunk alive.
  return new StoredPeer(owned ? member : Buffer.from(member), 0, member.length, seeder, locality);
}

/**
 * A candidate as Redis keeps it, its address parsed only when something reads it: the compact bytes go
 * into the answer as they are, and most candidates are never looked at as text.
 */
class StoredPeer implements SwarmPeer, MemberBytes {
  private parsedPeerId: Buffer | undefined;
  private parsedCompact: Buffer | undefined;
  private parsedAddress: PeerAddress | undefined;

  constructor(
    readonly bytes: Buffer,
    readonly start: number,
    readonly end: number,
    readonly seeder: boolean,
    readonly locality: Locality,
  ) {}

  get member(): MemberBytes {
    return this;
  }

  get peerId(): Buffer {
    return (this.parsedPeerId ??= this.bytes.subarray(this.start, this.start + PEER_ID_LENGTH));
  }

  get compact(): Buffer {
    return (this.parsedCompact ??= this.bytes.subarray(this.start + PEER_ID_LENGTH, this.end));
  }

  get address(): PeerAddress {
    return (this.parsedAddress ??= parseCompactAddress(this.compact)!);
  }
}
