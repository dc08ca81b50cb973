import { isSnubbed } from './snub';

describe('isSnubbed', () => {
  it.each([
    { case: 'silent for 60 s with requests out', outstanding: 3, progressAt: 0, now: 60_000, snubbed: true },
    { case: 'silent for 59.9 s', outstanding: 3, progressAt: 0, now: 59_900, snubbed: false },
    { case: 'nothing asked of it', outstanding: 0, progressAt: 0, now: 600_000, snubbed: false },
    { case: 'delivered recently', outstanding: 3, progressAt: 50_000, now: 100_000, snubbed: false },
  ])('$case -> $snubbed', ({ outstanding, progressAt, now, snubbed }) => {
    expect(isSnubbed({ outstandingRequests: outstanding, lastProgressAt: progressAt }, now)).toBe(snubbed);
  });

  it('takes a custom threshold', () => {
    expect(isSnubbed({ outstandingRequests: 1, lastProgressAt: 0 }, 20_000, 15_000)).toBe(true);
  });
});
