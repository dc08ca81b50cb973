import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { isFailure } from '../core/failure';
import type { AnnounceEvent, PeerAddress, SwarmPeer } from '../core/types';
import type { StoreAnnounce, StoreAnnounceResult, SwarmStore, TrackerRegistry } from '../store/swarm-store';

export interface StoreUnderTest {
  readonly store: SwarmStore & TrackerRegistry;
  /** Removes whatever the store wrote (its Redis keys). */
  cleanup(): Promise<void>;
}

export const CONFORMANCE_PEER_TTL_MS = 60_000;

/** The behaviour every SwarmStore adapter shares (STYLE.md 5): run it with each adapter's factory. */
export function describeSwarmStore(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`${name} (swarm store conformance)`, () => {
    let subject: StoreUnderTest;
    let store: SwarmStore & TrackerRegistry;
    beforeEach(async () => {
      subject = await create();
      store = subject.store;
    });
    afterEach(() => subject.cleanup());

    const infoHash = Buffer.alloc(20, 0xab);
    const otherHash = Buffer.alloc(20, 0xcd);
    const T0 = 1_700_000_000_000;

    function peerId(n: number): Buffer {
      return Buffer.from(`-SF0001-${String(n).padStart(12, '0')}`);
    }

    function v4(n: number): PeerAddress {
      return { ip: `10.0.${n >> 8}.${n & 255}`, family: 4, port: 6881 };
    }

    async function announce(n: number, overrides: Partial<StoreAnnounce> = {}): Promise<StoreAnnounceResult> {
      const result = await store.announce({
        infoHash,
        peerId: peerId(n),
        address: v4(n),
        event: 'started' as AnnounceEvent,
        seeder: false,
        requireRegistered: false,
        sampleSize: 50,
        now: T0,
        ...overrides,
      });
      if (isFailure(result)) throw new Error(`announce refused: ${result.reason}`);
      return result;
    }

    const others = (result: StoreAnnounceResult, self: number): string[] =>
      result.candidates
        .filter((peer) => !peer.peerId.equals(peerId(self)))
        .map((peer) => peer.address.ip)
        .sort();

    it('counts seeders and leechers and hands out the other live peers', async () => {
      await announce(1, { seeder: true });
      await announce(2);
      const third = await announce(3);
      expect(third.counts).toEqual({ complete: 1, incomplete: 2, downloaded: 0 });
      expect(others(third, 3)).toEqual(['10.0.0.1', '10.0.0.2']);
      const seeder = third.candidates.find((peer) => peer.peerId.equals(peerId(1))) as SwarmPeer;
      expect(seeder).toMatchObject({ seeder: true, address: v4(1), locality: { zone: '', region: '' } });
    });

    it('moves a peer from leechers to seeders and counts a completion once', async () => {
      await announce(1);
      await announce(1, { event: 'completed', seeder: true, now: T0 + 1 });
      const again = await announce(1, { event: 'completed', seeder: true, now: T0 + 2 });
      expect(again.counts).toEqual({ complete: 1, incomplete: 0, downloaded: 1 });
    });

    it('forgets a peer that stopped', async () => {
      await announce(1);
      await announce(2);
      const stopped = await announce(1, { event: 'stopped', now: T0 + 1 });
      expect(stopped.counts).toEqual({ complete: 0, incomplete: 1, downloaded: 0 });
      expect(others(await announce(3, { now: T0 + 2 }), 3)).toEqual(['10.0.0.2']);
    });

    it('expires peers that stop announcing, in announces and scrapes', async () => {
      await announce(1, { seeder: true });
      await announce(2, { now: T0 + CONFORMANCE_PEER_TTL_MS / 2 });
      const later = T0 + CONFORMANCE_PEER_TTL_MS + 1;
      expect(await store.scrape({ infoHashes: [infoHash], requireRegistered: false, now: later })).toEqual([{ complete: 0, incomplete: 1, downloaded: 0 }]);
      const third = await announce(3, { now: later });
      expect(third.counts).toEqual({ complete: 0, incomplete: 2, downloaded: 0 });
      expect(others(third, 3)).toEqual(['10.0.0.2']);
    });

    it('never hands out an expired peer, even when more expired than one announce prunes', async () => {
      for (let n = 1; n <= 260; n++) await announce(n, { seeder: n % 2 === 0 });
      const later = T0 + CONFORMANCE_PEER_TTL_MS + 1;
      const live = new Set<string>();
      for (let n = 300; n < 306; n++) {
        await announce(n, { now: later, seeder: n % 2 === 0 });
        live.add(v4(n).ip);
      }
      for (let round = 0; round < 5; round++) {
        const result = await announce(400 + round, { now: later + round });
        expect(others(result, 400 + round).filter((ip) => !live.has(ip))).toEqual([]);
        expect(others(result, 400 + round).length).toBeGreaterThanOrEqual(6);
        live.add(v4(400 + round).ip);
      }
    });

    it('hands out at least sampleSize other peers when the swarm has them', async () => {
      for (let n = 1; n <= 8; n++) await announce(n);
      for (let round = 0; round < 20; round++) {
        const result = await announce(9, { sampleSize: 5, event: 'none' });
        expect(others(result, 9).length).toBeGreaterThanOrEqual(5);
      }
    });

    it('hands out every peer of a swarm larger than the sample sooner or later', async () => {
      for (let n = 1; n <= 30; n++) await announce(n);
      const seen = new Set<string>();
      for (let round = 0; round < 200 && seen.size < 30; round++) {
        others(await announce(31, { sampleSize: 5, event: 'none', now: T0 + round }), 31).forEach((ip) => seen.add(ip));
      }
      expect(seen.size).toBe(30);
    });

    it('keeps IPv6 addresses and swarms apart', async () => {
      const address: PeerAddress = { ip: '2001:db8::7', family: 6, port: 51413 };
      await announce(1, { address });
      const other = await announce(2, { infoHash: otherHash });
      expect(other.counts.incomplete).toBe(1);
      const same = await announce(3);
      expect(same.candidates.find((peer) => peer.peerId.equals(peerId(1)))?.address).toEqual(address);
    });

    it('applies announces issued together one by one, in order, as if each had been awaited', async () => {
      // The same steps on two pairs of swarms: awaited one at a time, then all issued at once (a store may
      // batch those). Swarms stay below the sample size, so the candidates are every live peer.
      const ttl = CONFORMANCE_PEER_TTL_MS;
      const steps: [number, number, Partial<StoreAnnounce>][] = [
        ...[1, 2, 3, 4, 5, 6, 7, 8].map((n): [number, number, Partial<StoreAnnounce>] => [0, n, { seeder: n % 3 === 0 }]),
        [1, 20, {}],
        [1, 21, { seeder: true }],
        [0, 1, { event: 'none' }],
        [0, 2, { event: 'completed', seeder: true, now: T0 + 1 }],
        [0, 2, { event: 'completed', seeder: true, now: T0 + 2 }],
        [0, 4, { event: 'stopped', now: T0 + 2 }],
        [0, 9, { now: T0 + ttl / 2 }],
        [0, 5, { event: 'none', now: T0 + ttl + 1 }],
        [0, 10, { now: T0 + ttl + 1 }],
        [0, 6, { event: 'none', seeder: true, now: T0 + ttl + 1 }],
        [0, 10, { event: 'completed', seeder: true, now: T0 + ttl + 1 }],
        [1, 20, { event: 'none', now: T0 + 1 }],
      ];
      const run = (hashes: Buffer[], [swarm, n, overrides]: [number, number, Partial<StoreAnnounce>]) => announce(n, { infoHash: hashes[swarm], ...overrides });
      const summary = (result: StoreAnnounceResult, n: number) => ({ counts: result.counts, others: others(result, n) });
      const awaited: ReturnType<typeof summary>[] = [];
      for (const step of steps) awaited.push(summary(await run([infoHash, otherHash], step), step[1]));
      const pair = [Buffer.alloc(20, 0x11), Buffer.alloc(20, 0x22)];
      const together = (await Promise.all(steps.map((step) => run(pair, step)))).map((result, index) => summary(result, steps[index][1]));
      expect(together).toEqual(awaited);
      // Peer 6, back after expiring: seeders 2 and 6 and leechers 5, 9 and 10 are live.
      expect(awaited.at(-3)?.counts).toEqual({ complete: 2, incomplete: 3, downloaded: 1 });
    });

    it('scrapes several swarms at once, zeros for unknown ones', async () => {
      await announce(1, { seeder: true });
      await announce(2);
      const counts = await store.scrape({ infoHashes: [infoHash, otherHash], requireRegistered: false, now: T0 });
      expect(counts).toEqual([
        { complete: 1, incomplete: 1, downloaded: 0 },
        { complete: 0, incomplete: 0, downloaded: 0 },
      ]);
    });

    describe('private mode', () => {
      beforeEach(async () => {
        await store.registerInfoHash(infoHash);
        await store.registerPasskey('agent-one-passkey', { zone: 'eu-west-1a', region: 'eu-west-1' });
      });

      it('refuses unknown passkeys and unregistered info hashes', async () => {
        const base = { peerId: peerId(1), address: v4(1), event: 'started' as const, seeder: false, requireRegistered: true, sampleSize: 10, now: T0 };
        expect(await store.announce({ ...base, infoHash, passkey: 'nobody-knows-this' })).toMatchObject({ failure: 'unknown-passkey' });
        expect(await store.announce({ ...base, infoHash: otherHash, passkey: 'agent-one-passkey' })).toMatchObject({ failure: 'unregistered-info-hash' });
        expect(await store.scrape({ infoHashes: [infoHash], passkey: 'nobody-knows-this', requireRegistered: true, now: T0 })).toMatchObject({ failure: 'unknown-passkey' });
      });

      it('labels peers with their passkey locality and scrapes only registered hashes', async () => {
        const result = await announce(1, { passkey: 'agent-one-passkey', requireRegistered: true });
        expect(result.locality).toEqual({ zone: 'eu-west-1a', region: 'eu-west-1' });
        const second = await announce(2, { passkey: 'agent-one-passkey', requireRegistered: true });
        expect(second.candidates.find((peer) => peer.peerId.equals(peerId(1)))?.locality).toEqual({ zone: 'eu-west-1a', region: 'eu-west-1' });
        const counts = await store.scrape({ infoHashes: [infoHash, otherHash], passkey: 'agent-one-passkey', requireRegistered: true, now: T0 });
        expect(counts).toEqual([{ complete: 0, incomplete: 2, downloaded: 0 }, undefined]);
      });

      it('stops serving a revoked passkey and an unregistered torrent', async () => {
        await announce(1, { passkey: 'agent-one-passkey', requireRegistered: true });
        await store.revokePasskey('agent-one-passkey');
        expect(await store.announce({ infoHash, peerId: peerId(1), address: v4(1), event: 'none', seeder: false, passkey: 'agent-one-passkey', requireRegistered: true, sampleSize: 10, now: T0 })).toMatchObject({
          failure: 'unknown-passkey',
        });
        await store.unregisterInfoHash(infoHash);
        expect(await store.announce({ infoHash, peerId: peerId(1), address: v4(1), event: 'none', seeder: false, requireRegistered: true, sampleSize: 10, now: T0 })).toMatchObject({ failure: 'unregistered-info-hash' });
      });

      it('serves passkey-less requests (publicOnly) for torrents registered as public only, until made private again', async () => {
        const base = { infoHash, peerId: peerId(1), address: v4(1), event: 'started' as const, seeder: false, requireRegistered: true, publicOnly: true, sampleSize: 10, now: T0 };
        expect(await store.announce(base)).toMatchObject({ failure: 'unregistered-info-hash' });
        expect(await store.scrape({ infoHashes: [infoHash], requireRegistered: true, publicOnly: true, now: T0 })).toEqual([undefined]);
        await store.registerInfoHash(infoHash, { public: true });
        expect(await store.announce(base)).toMatchObject({ counts: { incomplete: 1 }, locality: { zone: '', region: '' } });
        expect(await store.scrape({ infoHashes: [infoHash, otherHash], requireRegistered: true, publicOnly: true, now: T0 })).toEqual([{ complete: 0, incomplete: 1, downloaded: 0 }, undefined]);
        await store.registerInfoHash(infoHash, { public: false });
        expect(await store.announce({ ...base, event: 'none' })).toMatchObject({ failure: 'unregistered-info-hash' });
        expect(await announce(2, { passkey: 'agent-one-passkey', requireRegistered: true })).toMatchObject({ counts: { incomplete: 2 } });
        await store.registerInfoHash(infoHash, { public: true });
        await store.unregisterInfoHash(infoHash);
        expect(await store.announce({ ...base, event: 'none' })).toMatchObject({ failure: 'unregistered-info-hash' });
      });

      it('refuses malformed registrations', async () => {
        await expect(store.registerPasskey('short', { zone: '', region: '' })).rejects.toThrow(RangeError);
        await expect(store.registerPasskey('agent-two-passkey', { zone: 'a|b', region: '' })).rejects.toThrow(RangeError);
      });

      it('offers at least sampleSize same-zone peers when the zone has them', async () => {
        await store.registerPasskey('agent-far-passkey', { zone: 'us-east-1a', region: 'us-east-1' });
        for (let n = 10; n < 40; n++) await announce(n, { passkey: 'agent-far-passkey', requireRegistered: true, seeder: true });
        for (let n = 1; n <= 9; n++) await announce(n, { passkey: 'agent-one-passkey', requireRegistered: true });
        for (let round = 0; round < 10; round++) {
          const result = await announce(1, { passkey: 'agent-one-passkey', requireRegistered: true, sampleSize: 5, event: 'none' });
          const sameZone = result.candidates.filter((peer) => peer.locality.zone === 'eu-west-1a' && !peer.peerId.equals(peerId(1)));
          expect(sameZone.length).toBeGreaterThanOrEqual(5);
        }
      });

      it('includes every same-zone peer in the candidates of a large swarm', async () => {
        await store.registerPasskey('agent-far-passkey', { zone: 'us-east-1a', region: 'us-east-1' });
        for (let n = 10; n < 210; n++) await announce(n, { passkey: 'agent-far-passkey', requireRegistered: true });
        for (let n = 1; n <= 5; n++) await announce(n, { passkey: 'agent-one-passkey', requireRegistered: true });
        const result = await announce(6, { passkey: 'agent-one-passkey', requireRegistered: true, sampleSize: 10 });
        expect(result.counts.incomplete).toBe(206);
        const sameZone = result.candidates.filter((peer) => peer.locality.zone === 'eu-west-1a' && !peer.peerId.equals(peerId(6)));
        expect(sameZone.map((peer) => peer.address.ip).sort()).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
      });
    });
  });
}
