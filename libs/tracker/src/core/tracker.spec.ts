import { MemorySwarmStore } from '../store/memory-swarm-store';
import type { StoreAnnounce, SwarmStore } from '../store/swarm-store';
import { isFailure } from './failure';
import { Tracker, type AnnounceReply } from './tracker';
import { DEFAULT_TRACKER_OPTIONS, type TrackerOptions } from './tracker-options';
import type { Announce } from './types';

/** A memory store that counts the announces reaching it. */
class CountingStore extends MemorySwarmStore {
  announces = 0;
  override announce(request: StoreAnnounce) {
    this.announces++;
    return super.announce(request);
  }
}

const infoHash = Buffer.alloc(20, 1);
function announce(n: number, extra: Partial<Announce> = {}): Announce {
  return { infoHash, peerId: Buffer.alloc(20, n), address: { ip: `10.0.0.${n}`, family: 4, port: 6881 }, event: 'started', seeder: false, numWant: 50, ...extra };
}

function setup(options: Partial<TrackerOptions> = {}) {
  let now = 1_000_000;
  const store = new CountingStore({ peerTtlMs: 3_600_000 });
  const tracker = new Tracker(store as SwarmStore, { ...DEFAULT_TRACKER_OPTIONS, access: { kind: 'open' }, ...options }, { now: () => now });
  return { store, tracker, advance: (ms: number) => (now += ms) };
}

async function ok(promise: Promise<unknown>): Promise<AnnounceReply> {
  const reply = await promise;
  if (isFailure(reply)) throw new Error(reply.reason);
  return reply as AnnounceReply;
}

describe('Tracker', () => {
  it('caps numwant and uses the default when none is asked', () => {
    const { tracker } = setup({ defaultNumWant: 30, maxNumWant: 80 });
    expect([tracker.numWant(undefined), tracker.numWant(-1), tracker.numWant(5), tracker.numWant(10_000)]).toEqual([30, 30, 5, 80]);
  });

  it('returns at most numwant peers, never the requester, with intervals and tracker id', async () => {
    const { tracker } = setup({ intervalSeconds: 900, minIntervalSeconds: 30, trackerId: 'tid-1' });
    for (let n = 1; n <= 10; n++) await ok(tracker.announce(announce(n)));
    const reply = await ok(tracker.announce(announce(11, { numWant: 4 })));
    expect(reply).toMatchObject({ intervalSeconds: 900, minIntervalSeconds: 30, trackerId: 'tid-1', incomplete: 11 });
    expect(reply.peers).toHaveLength(4);
    expect(reply.peers.some((peer) => peer.peerId.equals(Buffer.alloc(20, 11)))).toBe(false);
  });

  it('answers a too-early regular announce from cache without a swarm query', async () => {
    const { tracker, store, advance } = setup({ minIntervalSeconds: 60 });
    await ok(tracker.announce(announce(1)));
    const first = await ok(tracker.announce(announce(2, { event: 'none' })));
    const queries = store.announces;
    await ok(tracker.announce(announce(3)));
    advance(59_000);
    const cached = await ok(tracker.announce(announce(2, { event: 'none' })));
    expect(store.announces).toBe(queries + 1);
    expect(cached).toEqual(first);
    advance(1_000);
    const fresh = await ok(tracker.announce(announce(2, { event: 'none' })));
    expect(store.announces).toBe(queries + 2);
    expect(fresh.incomplete).toBe(3);
  });

  it('never answers events from cache', async () => {
    const { tracker, store } = setup({ minIntervalSeconds: 60 });
    await ok(tracker.announce(announce(1, { event: 'none' })));
    await ok(tracker.announce(announce(1, { event: 'completed', seeder: true })));
    await ok(tracker.announce(announce(1, { event: 'stopped', seeder: true })));
    expect(store.announces).toBe(3);
    expect(await ok(tracker.announce(announce(2)))).toMatchObject({ complete: 0, incomplete: 1, downloaded: 1 });
  });

  it('in private mode, requires a passkey unless the torrent is registered as public', async () => {
    const { tracker, store } = setup({ access: { kind: 'private' } });
    expect(await tracker.announce(announce(1))).toMatchObject({ failure: 'passkey-required' });
    expect(await tracker.scrape([infoHash])).toMatchObject({ failure: 'passkey-required' });
    await store.registerInfoHash(infoHash);
    expect(await tracker.announce(announce(1))).toMatchObject({ failure: 'passkey-required' });
    await store.registerInfoHash(infoHash, { public: true });
    expect(await tracker.announce(announce(3))).toMatchObject({ incomplete: 1 });
    const scraped = await tracker.scrape([infoHash]);
    expect(isFailure(scraped) ? scraped : scraped.files.get(infoHash.toString('hex'))).toMatchObject({ incomplete: 1 });
    await store.registerInfoHash(infoHash, { public: false });
    expect(await tracker.announce(announce(4, { event: 'started' }))).toMatchObject({ failure: 'passkey-required' });
    await store.unregisterInfoHash(infoHash);
    await store.registerInfoHash(infoHash);
    await store.registerPasskey('passkey-0001', { zone: 'z', region: 'r' });
    expect(await tracker.announce(announce(1, { passkey: 'passkey-0001' }))).toMatchObject({ incomplete: 2 });
    expect(await tracker.announce(announce(2, { passkey: 'passkey-0002' }))).toMatchObject({ failure: 'unknown-passkey' });
  });

  it('in open mode with an allow list, serves only listed torrents', async () => {
    const listed = Buffer.alloc(20, 9);
    const { tracker } = setup({ access: { kind: 'open', allow: new Set([listed.toString('hex')]) } });
    expect(await tracker.announce(announce(1))).toMatchObject({ failure: 'unregistered-info-hash' });
    expect(await tracker.announce(announce(1, { infoHash: listed }))).toMatchObject({ incomplete: 1 });
    const scraped = await tracker.scrape([infoHash, listed]);
    expect(isFailure(scraped) ? scraped : [...scraped.files.keys()]).toEqual([listed.toString('hex')]);
  });

  it('limits scrapes: no full scrape, at most maxScrapeHashes', async () => {
    const { tracker } = setup({ maxScrapeHashes: 2 });
    expect(await tracker.scrape([])).toMatchObject({ failure: 'malformed-request' });
    expect(await tracker.scrape([infoHash, infoHash, infoHash])).toMatchObject({ failure: 'request-too-large' });
  });

  it('refuses inconsistent options at construction', () => {
    expect(() => setup({ minIntervalSeconds: 4000, intervalSeconds: 1800 })).toThrow(RangeError);
    expect(() => setup({ defaultNumWant: 200, maxNumWant: 100 })).toThrow(RangeError);
  });
});
