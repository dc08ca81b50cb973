import { PolicyError } from './errors';
import { TokenBucket, msUntilAll, takeFromAll } from './token-bucket';

describe('TokenBucket', () => {
  it('starts full, refills at its rate up to the burst', () => {
    const bucket = new TokenBucket(1000, 500, 0);
    expect(bucket.take(500, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.available(250)).toBe(250);
    expect(bucket.available(10_000)).toBe(500);
  });

  it('says how long until an amount is available', () => {
    const bucket = new TokenBucket(1000, 500, 0);
    bucket.take(500, 0);
    expect(bucket.msUntil(100, 0)).toBe(100);
    expect(bucket.msUntil(100, 100)).toBe(0);
    expect(bucket.msUntil(501, 0)).toBe(Infinity);
  });

  it('is unlimited at an infinite rate', () => {
    const bucket = new TokenBucket(Infinity, Infinity, 0);
    expect(bucket.take(1e12, 0)).toBe(true);
    expect(bucket.msUntil(1e12, 0)).toBe(0);
  });

  it('ignores a clock that steps back', () => {
    const bucket = new TokenBucket(1000, 1000, 10_000);
    bucket.take(1000, 10_000);
    expect(bucket.available(5000)).toBe(0);
    expect(bucket.available(10_500)).toBe(500);
  });

  it.each([[-1, 10], [NaN, 10], [10, -1]])('refuses rate %p and burst %p', (rate, burst) => {
    expect(() => new TokenBucket(rate, burst, 0)).toThrow(PolicyError);
  });
});

describe('takeFromAll (global + per-torrent limits)', () => {
  it('grants what every bucket allows and takes it from each', () => {
    const global = new TokenBucket(10_000, 10_000, 0);
    const torrent = new TokenBucket(1000, 1000, 0);
    expect(takeFromAll([global, torrent], 4000, 0)).toBe(1000);
    expect(global.available(0)).toBe(9000);
    expect(torrent.available(0)).toBe(0);
    expect(takeFromAll([global, torrent], 4000, 0)).toBe(0);
    expect(msUntilAll([global, torrent], 500, 0)).toBe(500);
    expect(takeFromAll([global, torrent], 4000, 500)).toBe(500);
  });

  it('lets a torrent without its own limit use the global one', () => {
    const global = new TokenBucket(1000, 1000, 0);
    const torrent = new TokenBucket(Infinity, Infinity, 0);
    expect(takeFromAll([global, torrent], 4000, 0)).toBe(1000);
  });
});
