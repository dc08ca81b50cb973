import { DEFAULT_SCHEDULE, intervalDelayMs, minIntervalMs, retryDelayMs } from './schedule';

describe('announce schedule', () => {
  it.each([
    [{ interval: 1800 }, 1_800_000],
    [{ interval: 1800, minInterval: 3600 }, 3_600_000],
    [{ interval: 0 }, 60_000],
    [{ interval: 10 }, 60_000],
    [{ interval: 0x7fffffff }, 86_400_000],
  ])('waits the tracker interval within bounds: %j -> %d ms', (answer, expected) => {
    expect(intervalDelayMs({ ...answer, peers: [] }, DEFAULT_SCHEDULE)).toBe(expected);
  });

  it('takes min interval, or our floor without one', () => {
    expect(minIntervalMs({ interval: 1800, minInterval: 900, peers: [] }, DEFAULT_SCHEDULE)).toBe(900_000);
    expect(minIntervalMs({ interval: 1800, peers: [] }, DEFAULT_SCHEDULE)).toBe(60_000);
  });

  it('backs off exponentially to the cap', () => {
    const options = { ...DEFAULT_SCHEDULE, retryBaseMs: 15_000, retryMaxMs: 1_800_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000].map((failures) => retryDelayMs(failures, options))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000, 1_800_000,
    ]);
  });
});
