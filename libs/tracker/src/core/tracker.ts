import { selectPeers } from '../policy/select-peers';
import type { SwarmStore } from '../store/swarm-store';
import { memberBytes } from './address';
import { AnswerCache } from './answer-cache';
import { failure, isFailure, type TrackerFailure } from './failure';
import { validateTrackerOptions, type TrackerOptions } from './tracker-options';
import type { Announce, SwarmCounts, SwarmPeer } from './types';

export interface AnnounceReply extends SwarmCounts {
  readonly intervalSeconds: number;
  readonly minIntervalSeconds: number;
  readonly trackerId: string;
  readonly peers: readonly SwarmPeer[];
}

export interface ScrapeReply {
  /** Only the hashes the tracker serves, keyed by hex info hash, in request order. */
  readonly files: ReadonlyMap<string, SwarmCounts>;
}

export interface TrackerClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * Announce and scrape semantics, independent of transport: access rules, numwant cap, min-interval
 * answers from cache, peer selection. The HTTP and UDP front ends only parse and encode.
 */
export class Tracker {
  private readonly answers: AnswerCache<AnnounceReply>;

  constructor(
    private readonly store: SwarmStore,
    readonly options: TrackerOptions,
    private readonly clock: TrackerClock = { now: () => Date.now() },
    private readonly random: () => number = Math.random,
  ) {
    validateTrackerOptions(options);
    this.answers = new AnswerCache(options.answerCacheEntries, options.minIntervalSeconds * 1000);
  }

  get isPrivate(): boolean {
    return this.options.access.kind === 'private';
  }

  /** numwant as the client sent it (undefined: not sent), capped. */
  numWant(requested: number | undefined): number {
    if (requested === undefined || requested < 0) return this.options.defaultNumWant;
    return Math.min(requested, this.options.maxNumWant);
  }

  async announce(request: Announce): Promise<AnnounceReply | TrackerFailure> {
    const denied = this.checkAccess(request.infoHash);
    if (denied) return denied;
    // Private mode without a passkey: only torrents registered as public are served.
    const publicOnly = this.isPrivate && request.passkey === undefined;
    const now = this.clock.now();
    // Without a min interval nothing is cached (and the key would cost more than the lookup saves).
    const cacheKey = this.options.minIntervalSeconds > 0 ? answerKey(request) : undefined;
    if (cacheKey !== undefined && request.event === 'none') {
      // A cached answer was selected for the earlier numwant; a peer asking again too early gets no more.
      const cached = this.answers.get(cacheKey, now);
      if (cached) return trim(cached, request.numWant);
    } else if (cacheKey !== undefined) {
      this.answers.delete(cacheKey);
    }
    // Built once: the store keeps members in this form, and selection compares candidates with it.
    const member = memberBytes(request.peerId, request.address);
    const stored = await this.store.announce({
      infoHash: request.infoHash,
      peerId: request.peerId,
      address: request.address,
      member,
      event: request.event,
      seeder: request.seeder,
      passkey: request.passkey,
      requireRegistered: this.isPrivate,
      publicOnly,
      sampleSize: request.event === 'stopped' ? 0 : request.numWant,
      now,
    });
    if (isFailure(stored)) return publicOnly && stored.failure === 'unregistered-info-hash' ? passkeyRequired() : stored;
    const requester = { peerId: request.peerId, address: request.address, member: { bytes: member, start: 0, end: member.length }, seeder: request.seeder, locality: stored.locality };
    // Fields written out, not spread: a spread (a clone, then a transition per added field) missed its
    // inline caches on every announce under S4 load.
    const reply: AnnounceReply = {
      complete: stored.counts.complete,
      incomplete: stored.counts.incomplete,
      downloaded: stored.counts.downloaded,
      intervalSeconds: this.options.intervalSeconds,
      minIntervalSeconds: this.options.minIntervalSeconds,
      trackerId: this.options.trackerId,
      peers: selectPeers(stored.candidates, requester, request.numWant, this.random),
    };
    if (request.event !== 'stopped' && cacheKey !== undefined) this.answers.set(cacheKey, reply, now);
    return reply;
  }

  async scrape(infoHashes: readonly Buffer[], passkey?: string): Promise<ScrapeReply | TrackerFailure> {
    if (infoHashes.length === 0) return failure('malformed-request', 'full scrape is not supported: name the torrents with info_hash');
    if (infoHashes.length > this.options.maxScrapeHashes) return failure('request-too-large', `at most ${this.options.maxScrapeHashes} info hashes per scrape`);
    const allowList = this.options.access.kind === 'open' ? this.options.access.allow : undefined;
    const served = allowList ? infoHashes.filter((hash) => allowList.has(hash.toString('hex'))) : infoHashes;
    // Private mode without a passkey: counts of public torrents only.
    const publicOnly = this.isPrivate && passkey === undefined;
    const counts = served.length === 0 ? [] : await this.store.scrape({ infoHashes: served, passkey, requireRegistered: this.isPrivate, publicOnly, now: this.clock.now() });
    if (isFailure(counts)) return counts;
    const files = new Map<string, SwarmCounts>();
    served.forEach((hash, index) => {
      const found = counts[index];
      if (found) files.set(hash.toString('hex'), found);
    });
    return publicOnly && files.size === 0 ? passkeyRequired() : { files };
  }

  private checkAccess(infoHash: Buffer): TrackerFailure | undefined {
    const access = this.options.access;
    if (access.kind === 'private') return undefined;
    if (access.allow && !access.allow.has(infoHash.toString('hex'))) return failure('unregistered-info-hash', 'this torrent is not on the tracker\'s allow list');
    return undefined;
  }
}

function answerKey(request: Announce): string {
  return `${request.infoHash.toString('hex')}${request.peerId.toString('hex')}${request.address.ip}|${request.address.port}|${request.seeder ? 1 : 0}|${request.passkey ?? ''}`;
}

function trim(reply: AnnounceReply, numWant: number): AnnounceReply {
  return reply.peers.length <= numWant ? reply : { ...reply, peers: reply.peers.slice(0, numWant) };
}

function passkeyRequired(): TrackerFailure {
  return failure('passkey-required', 'this is a private tracker: announce to /announce/<passkey> as written in your torrent file');
}
