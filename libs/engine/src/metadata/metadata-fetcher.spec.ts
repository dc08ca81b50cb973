import { createHash } from 'node:crypto';
import { METADATA_PIECE_LENGTH, type MetadataMessage } from '@seedfleet/wire';
import { MetadataFetcher, type MetadataSource } from './metadata-fetcher';

const info = Buffer.alloc(3 * METADATA_PIECE_LENGTH + 1000);
for (let at = 0; at < info.length; at++) info[at] = (at * 7 + 3) & 0xff;
const infoHashV1 = createHash('sha1').update(info).digest();
const infoHashV2 = createHash('sha256').update(info).digest();

/** A scripted peer: records what it was asked and whether it was dropped. */
class FakeSource implements MetadataSource {
  readonly asked: number[] = [];
  dropped: string | undefined;
  constructor(readonly key: string) {}
  request(piece: number): void {
    this.asked.push(piece);
  }
  drop(why: string): void {
    this.dropped = why;
  }
}

function dataFor(piece: number, bytes = info): MetadataMessage {
  return { type: 'data', piece, totalSize: bytes.length, data: bytes.subarray(piece * METADATA_PIECE_LENGTH, (piece + 1) * METADATA_PIECE_LENGTH) };
}

function setup(overrides: Partial<ConstructorParameters<typeof MetadataFetcher>[0]> = {}) {
  let now = 0;
  const results: Buffer[] = [];
  const fetcher = new MetadataFetcher({ infoHashV1, infoHashV2: null, clock: () => now, onMetadata: (raw) => results.push(raw), ...overrides });
  return { fetcher, results, advance: (ms: number) => (now += ms) };
}

/** Answers every piece `source` was asked and not yet answered, from `bytes`. */
function answer(fetcher: MetadataFetcher, source: FakeSource, bytes = info, from = 0): number {
  const pieces = source.asked.slice(from);
  for (const piece of pieces) fetcher.onMessage(source, dataFor(piece, bytes));
  return from + pieces.length;
}

it('asks several peers in parallel and delivers the verified dict', () => {
  const { fetcher, results } = setup();
  const a = new FakeSource('a');
  const b = new FakeSource('b');
  fetcher.addSource(a, info.length);
  fetcher.addSource(b, info.length);
  // a took all four pieces before b came: nothing is asked twice.
  expect([...a.asked, ...b.asked].sort()).toEqual([0, 1, 2, 3]);
  answer(fetcher, a);
  expect(results).toHaveLength(1);
  expect(results[0].equals(info)).toBe(true);
  expect(fetcher.done).toBe(true);
});

it('spreads requests over peers when each may hold only a few', () => {
  const { fetcher, results } = setup({ maxRequestsPerSource: 1 });
  const peers = ['a', 'b', 'c', 'd'].map((key) => new FakeSource(key));
  for (const peer of peers) fetcher.addSource(peer, info.length);
  expect(peers.map((peer) => peer.asked.length)).toEqual([1, 1, 1, 1]);
  for (const peer of peers) answer(fetcher, peer);
  expect(results[0].equals(info)).toBe(true);
});

it('checks a hybrid magnet against both hashes', () => {
  const good = setup({ infoHashV2 });
  const wrongV2 = setup({ infoHashV2: Buffer.alloc(32, 1) });
  for (const { fetcher } of [good, wrongV2]) {
    const peer = new FakeSource('p');
    fetcher.addSource(peer, info.length);
    answer(fetcher, peer);
  }
  expect(good.results).toHaveLength(1);
  expect(wrongV2.results).toHaveLength(0);
});

it('drops a sole sender of a bad dict and gets the good one from another peer', () => {
  const { fetcher, results } = setup();
  const liar = new FakeSource('liar');
  fetcher.addSource(liar, info.length);
  const bad = Buffer.from(info);
  bad[5] ^= 1;
  answer(fetcher, liar, bad);
  expect(liar.dropped).toMatch(/does not match the info hash/);
  const honest = new FakeSource('honest');
  fetcher.addSource(honest, info.length);
  answer(fetcher, honest);
  expect(results[0].equals(info)).toBe(true);
});

it('finds the liar among several senders by fetching from one at a time; honest peers stay', () => {
  const { fetcher, results } = setup({ maxRequestsPerSource: 2 });
  const honest = new FakeSource('honest');
  const liar = new FakeSource('liar');
  fetcher.addSource(liar, info.length);
  fetcher.addSource(honest, info.length);
  const bad = Buffer.alloc(info.length, 0xee);
  let liarAt = answer(fetcher, liar, bad);
  let honestAt = answer(fetcher, honest);
  for (let round = 0; round < 10 && !fetcher.done; round++) {
    liarAt = answer(fetcher, liar, bad, liarAt);
    honestAt = answer(fetcher, honest, info, honestAt);
  }
  expect(results).toHaveLength(1);
  expect(results[0].equals(info)).toBe(true);
  expect(honest.dropped).toBeUndefined();
});

it('re-asks a timed-out piece of another peer and drops a peer that keeps timing out', () => {
  const { fetcher, results, advance } = setup({ maxRequestsPerSource: 4, requestTimeoutMs: 1000, maxTimeouts: 1 });
  const silent = new FakeSource('silent');
  fetcher.addSource(silent, info.length);
  const honest = new FakeSource('honest');
  fetcher.addSource(honest, info.length);
  expect(honest.asked).toEqual([]);
  advance(1000);
  fetcher.tick();
  expect(silent.dropped).toMatch(/timing out/);
  answer(fetcher, honest);
  expect(results[0].equals(info)).toBe(true);
});

it('after a reject, asks someone else and leaves the rejecting peer alone for a while', () => {
  const { fetcher, advance } = setup({ maxRequestsPerSource: 4, rejectBackoffMs: 5000 });
  const rejecting = new FakeSource('rejecting');
  fetcher.addSource(rejecting, info.length);
  for (const piece of rejecting.asked) fetcher.onMessage(rejecting, { type: 'reject', piece });
  expect(rejecting.asked).toEqual([0, 1, 2, 3]);
  advance(5000);
  fetcher.tick();
  expect(rejecting.asked).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
});

it('refuses an oversized metadata_size and a total_size that contradicts the handshake', () => {
  const { fetcher } = setup({ maxMetadataSize: 1024 * 1024 });
  const huge = new FakeSource('huge');
  fetcher.addSource(huge, 1024 * 1024 + 1);
  expect(huge.dropped).toMatch(/over the/);
  const liar = new FakeSource('liar');
  fetcher.addSource(liar, info.length);
  fetcher.onMessage(liar, { type: 'data', piece: 0, totalSize: info.length + 1, data: info.subarray(0, METADATA_PIECE_LENGTH) });
  expect(liar.dropped).toMatch(/total_size/);
});

it('ignores unrequested data and peers without the dict', () => {
  const { fetcher, results } = setup();
  const none = new FakeSource('none');
  fetcher.addSource(none, undefined);
  expect(none.asked).toEqual([]);
  expect(fetcher.sourceCount).toBe(0);
  const peer = new FakeSource('p');
  fetcher.addSource(peer, info.length);
  fetcher.onMessage(peer, dataFor(0));
  fetcher.onMessage(peer, dataFor(0));
  expect(fetcher.progress()).toEqual({ received: 1, total: 4 });
  answer(fetcher, peer, info, 1);
  expect(results).toHaveLength(1);
});

it('prefers the size most peers announce', () => {
  const { fetcher } = setup();
  const odd = new FakeSource('odd');
  fetcher.addSource(odd, 100);
  fetcher.removeSource(odd);
  const peers = ['a', 'b'].map((key) => new FakeSource(key));
  for (const peer of peers) fetcher.addSource(peer, info.length);
  expect(fetcher.progress().total).toBe(4);
});
