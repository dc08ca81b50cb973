import { PolicyError } from './errors';
import { RateEstimator } from './rate';

describe('RateEstimator', () => {
  it('measures a steady stream', () => {
    const rate = new RateEstimator(0, { windowMs: 5000, slots: 10 });
    for (let now = 0; now < 10_000; now += 100) rate.add(10_000, now);
    expect(rate.rate(10_000)).toBeCloseTo(100_000, -3);
    expect(rate.total).toBe(1_000_000);
  });

  it('divides by its age while young, so a new fast peer looks fast at once', () => {
    const rate = new RateEstimator(1000);
    rate.add(1_000_000, 1500);
    expect(rate.rate(2000)).toBe(1_000_000);
  });

  it('forgets traffic older than the window', () => {
    const rate = new RateEstimator(0, { windowMs: 5000 });
    rate.add(5_000_000, 100);
    expect(rate.rate(4000)).toBeGreaterThan(0);
    expect(rate.rate(5600)).toBe(0);
    expect(rate.rate(60_000)).toBe(0);
  });

  it('counts samples from a clock that stepped back in the latest slot', () => {
    const rate = new RateEstimator(0, { windowMs: 1000, slots: 1 });
    rate.add(500, 5000);
    rate.add(500, 4000);
    expect(rate.rate(5000)).toBe(1000);
  });

  it.each([{ windowMs: 0 }, { slots: 0 }, { slots: 1.5 }])('refuses options %j', (options) => {
    expect(() => new RateEstimator(0, options)).toThrow(PolicyError);
  });

  it('refuses negative bytes', () => {
    expect(() => new RateEstimator(0).add(-1, 0)).toThrow(PolicyError);
  });
});
