/** An offer not passed on within this time is given up on: the peer may be choked by everyone, or slow. */
export const DEFAULT_PASS_ON_TIMEOUT_MS = 30_000;
/** Offers a peer holds at once: the second only once it downloaded the first (a fast peer is not kept idle). */
const MAX_PENDING_OFFERS = 2;

/** What the swarm looks like to the super-seed when it picks a piece for one peer. */
export interface SuperSeedView {
  readonly pieceCount: number;
  /** The peer already has the piece (it announced it). */
  readonly peerHas: (index: number) => boolean;
  /** Connected peers that announced the piece. */
  readonly availability: (index: number) => number;
  /** Connected peers other than this one that lack the piece: who it could still pass it on to. */
  readonly othersLacking: (index: number) => number;
}

interface PendingOffer {
  readonly offeredAt: number;
  /** Offsets of the blocks we sent of it, and their bytes. */
  readonly sentBlocks: Set<number>;
  sentBytes: number;
  /**
   * The peer has the piece: we sent all of it, or it announced it (a peer need not: HAVE for a piece the
   * other side claims to hold is often left out).
   */
  downloaded: boolean;
}

interface PeerOffers {
  /** Offered and not yet seen at another peer. */
  readonly pending: Map<number, PendingOffer>;
  /** Every piece ever offered: the only pieces it may request from us. */
  readonly offered: Set<number>;
  /** When the peer last gained a piece (or joined): a peer without progress this long may get any piece. */
  lastGainAt: number;
}

/**
 * Super-seeding (BEP 16) as pure state: the seed hides its pieces and offers each peer one piece at a
 * time; the next only once the offered piece showed up at another peer (it was passed on), so each piece
 * leaves the seed about once. Pieces are chosen least-offered first, then rarest among connected peers.
 * Timeouts keep it from starving: an offer not passed on within `passOnTimeoutMs`, or one nobody
 * connected still lacks, is settled; a peer without progress for that long may be offered pieces other
 * peers already hold.
 */
export class SuperSeed {
  private readonly timesOffered: Uint32Array;
  /** Peers holding an unsettled offer of the piece: it is on its way into the swarm already. */
  private readonly pendingAt: Uint32Array;
  private readonly peers = new Map<string, PeerOffers>();

  constructor(
    pieceCount: number,
    private readonly passOnTimeoutMs = DEFAULT_PASS_ON_TIMEOUT_MS,
  ) {
    this.timesOffered = new Uint32Array(pieceCount);
    this.pendingAt = new Uint32Array(pieceCount);
  }

  join(peer: string, now: number): void {
    this.peers.set(peer, { pending: new Map(), offered: new Set(), lastGainAt: now });
  }

  leave(peer: string): void {
    const offers = this.peers.get(peer);
    if (offers) for (const index of [...offers.pending.keys()]) this.settle(offers, index);
    this.peers.delete(peer);
  }

  /** Greeted with our hidden pieces: it sees only what we offer it. */
  isSuperSeeded(peer: string): boolean {
    return this.peers.has(peer);
  }

  /** Whether the peer may request the piece: anything if it saw all our pieces, else only what we offered it. */
  mayServe(peer: string, index: number): boolean {
    const offers = this.peers.get(peer);
    return offers === undefined || offers.offered.has(index);
  }

  /** How often the piece was offered (to any peer). */
  offerCount(index: number): number {
    return this.timesOffered[index] ?? 0;
  }

  /** The peer announced the piece: it downloaded our offer, or it got it elsewhere, passing on another peer's offer. */
  peerHas(peer: string, index: number, now: number): void {
    for (const [id, offers] of this.peers) {
      if (id !== peer) {
        this.settle(offers, index);
        continue;
      }
      offers.lastGainAt = now;
      const offer = offers.pending.get(index);
      if (offer) offer.downloaded = true;
    }
  }

  /** We sent the peer a block: once all of an offered piece went out, the peer has it. */
  blockSent(peer: string, index: number, begin: number, length: number, pieceSize: number, now: number): void {
    const offers = this.peers.get(peer);
    const offer = offers?.pending.get(index);
    if (!offers || !offer || offer.sentBlocks.has(begin)) return;
    offer.sentBlocks.add(begin);
    offer.sentBytes += length;
    if (offer.sentBytes < pieceSize) return;
    offer.downloaded = true;
    offers.lastGainAt = now;
  }

  /**
   * The pieces to offer the peer now (announce each with HAVE), after settling its offers that can no longer
   * be passed on. Empty when it should wait for its offers to spread.
   */
  offersFor(peer: string, view: SuperSeedView, now: number): number[] {
    const offers = this.peers.get(peer);
    if (!offers) return [];
    for (const [index, offer] of offers.pending) {
      const expired = now - offer.offeredAt >= this.passOnTimeoutMs;
      if (expired || (offer.downloaded && view.othersLacking(index) === 0)) this.settle(offers, index);
    }
    const picked: number[] = [];
    const starving = now - offers.lastGainAt >= this.passOnTimeoutMs;
    while (offers.pending.size < this.allowedOffers(offers)) {
      const index = this.pick(offers, view, starving);
      if (index === undefined) break;
      offers.pending.set(index, { offeredAt: now, sentBlocks: new Set(), sentBytes: 0, downloaded: false });
      offers.offered.add(index);
      this.timesOffered[index]++;
      this.pendingAt[index]++;
      picked.push(index);
    }
    return picked;
  }

  private settle(offers: PeerOffers, index: number): void {
    if (offers.pending.delete(index)) this.pendingAt[index]--;
  }

  private allowedOffers(offers: PeerOffers): number {
    const allDownloaded = [...offers.pending.values()].every((offer) => offer.downloaded);
    return offers.pending.size === 0 ? 1 : allDownloaded ? MAX_PENDING_OFFERS : 1;
  }

  /**
   * Least offered, then rarest, then lowest index. A piece offered before that a connected peer holds, or
   * that is on its way to one, is left to the peers unless this one starves.
   */
  private pick(offers: PeerOffers, view: SuperSeedView, starving: boolean): number | undefined {
    let best: number | undefined;
    let bestOffered = Infinity;
    let bestAvailability = Infinity;
    for (let index = 0; index < view.pieceCount; index++) {
      if (offers.offered.has(index) || view.peerHas(index)) continue;
      const timesOffered = this.timesOffered[index];
      const availability = view.availability(index);
      if (timesOffered > 0 && (availability > 0 || this.pendingAt[index] > 0) && !starving) continue;
      if (timesOffered < bestOffered || (timesOffered === bestOffered && availability < bestAvailability)) {
        best = index;
        bestOffered = timesOffered;
        bestAvailability = availability;
      }
    }
    return best;
  }
}
