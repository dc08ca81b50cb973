import { minimumSeconds, percentile } from '../../bench/swarm/swarm-metrics';

describe('swarm metrics', () => {
  const mib = 2 ** 20;

  it('T_min is bounded by the aggregate upload when many agents share a slow origin', () => {
    // 4 agents at 10 up / 50 down, origin 50 up: 4F / (50 + 40) Mbit.
    const links = { originUpMbit: 50, agents: Array.from({ length: 4 }, () => ({ upMbit: 10, downMbit: 50 })) };
    expect(minimumSeconds(256 * mib, links)).toBeCloseTo((4 * 256 * mib * 8) / 90e6, 6);
  });

  it('T_min is bounded by the origin or the slowest downloader when those are tighter', () => {
    expect(minimumSeconds(8e6, { originUpMbit: 8, agents: [{ upMbit: 100, downMbit: 100 }] })).toBeCloseTo(8, 6);
    expect(minimumSeconds(8e6, { originUpMbit: 100, agents: [{ upMbit: 100, downMbit: 1 }] })).toBeCloseTo(64, 6);
  });

  it('percentiles use the nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(() => percentile([], 0.5)).toThrow(RangeError);
  });
});
