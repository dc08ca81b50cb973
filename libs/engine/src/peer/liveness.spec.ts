import { Liveness, type LivenessDue } from './liveness';

describe('Liveness', () => {
  // keep-alive after 100 ms without sending, idle after 150 ms without receiving; both counted from 0.
  it.each<[string, { sentAt?: number; receivedAt?: number; now: number }, LivenessDue]>([
    ['nothing due at first', { now: 50 }, undefined],
    ['a keep-alive once nothing was sent for the interval', { now: 100 }, 'keep-alive'],
    ['no keep-alive while we keep sending', { sentAt: 60, now: 140 }, undefined],
    ['idle once nothing was received for the timeout, before any keep-alive', { sentAt: 140, now: 150 }, { idleMs: 150 }],
    ['receiving anything keeps it alive', { receivedAt: 100, sentAt: 100, now: 190 }, undefined],
    ['idle counts from the last byte received', { receivedAt: 100, now: 260 }, { idleMs: 160 }],
  ])('%s', (_name, times, expected) => {
    const liveness = new Liveness(0, 100, 150);
    if (times.sentAt !== undefined) liveness.sent(times.sentAt);
    if (times.receivedAt !== undefined) liveness.received(times.receivedAt);
    expect(liveness.due(times.now)).toEqual(expected);
  });

  it('checks four times per shorter interval, at least every millisecond', () => {
    expect(new Liveness(0, 100_000, 150_000).checkIntervalMs).toBe(25_000);
    expect(new Liveness(0, 2, 3).checkIntervalMs).toBe(1);
  });
});
