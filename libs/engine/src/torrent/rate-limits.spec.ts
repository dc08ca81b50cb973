import { BLOCK_SIZE } from '../policy';
import { limitBucket, RateGate } from './rate-limits';

it('no limit: no bucket, and a gate without buckets allows everything at once', () => {
  expect(limitBucket(undefined, 0)).toBeUndefined();
  expect(limitBucket(0, 0)).toBeUndefined();
  const gate = new RateGate(() => []);
  expect(gate.allowed(500, BLOCK_SIZE, 0)).toBe(500);
  expect(gate.msUntil(BLOCK_SIZE, 0)).toBe(0);
});

it('the tighter of the session and torrent buckets decides, and taking drains both', () => {
  const session = limitBucket(1024 * 1024, 0)!;
  const torrent = limitBucket(256 * 1024, 0)!;
  const gate = new RateGate(() => [session, torrent]);
  // The torrent's burst is half a second of 256 KiB/s: 8 blocks.
  expect(gate.allowed(100, BLOCK_SIZE, 0)).toBe(8);
  gate.take(8 * BLOCK_SIZE, 0);
  expect(gate.allowed(100, BLOCK_SIZE, 0)).toBe(0);
  expect(session.available(0)).toBe(512 * 1024 - 8 * BLOCK_SIZE);
  // One block's worth of the torrent's rate later, one block passes again.
  const wait = gate.msUntil(BLOCK_SIZE, 0);
  expect(wait).toBe(Math.ceil((BLOCK_SIZE * 1000) / (256 * 1024)));
  expect(gate.allowed(100, BLOCK_SIZE, wait)).toBe(1);
});

it('a small limit still lets a whole block through (burst of at least two blocks)', () => {
  const bucket = limitBucket(1000, 0)!;
  expect(bucket.burst).toBe(2 * BLOCK_SIZE);
});
