import { ManualTimers } from '../tracker/testing/manual-timers';
import { SeedBackoff } from './seed-backoff';
import { TransferWatchdog, type WatchdogTrip } from './transfer-watchdog';
import { WebSeedError } from './web-seed-error';

function watchdog(limits: { stallTimeoutMs: number; minBytesPerSecond: number; rateWindowMs: number }) {
  const timers = new ManualTimers();
  const trips: [WatchdogTrip, string][] = [];
  const dog = new TransferWatchdog({ ...limits, clock: timers.clock, timers }, (trip, message) => trips.push([trip, message]));
  dog.start();
  return { timers, trips, dog };
}

describe('TransferWatchdog', () => {
  it('trips "stalled" once nothing came for the stall timeout, and not before', () => {
    const { timers, trips } = watchdog({ stallTimeoutMs: 1000, minBytesPerSecond: 0, rateWindowMs: 5000 });
    timers.advance(750);
    expect(trips).toEqual([]);
    timers.advance(250);
    expect(trips.map(([trip]) => trip)).toEqual(['stalled']);
    expect(timers.pendingDelays()).toEqual([]);
  });

  it('activity keeps a transfer alive', () => {
    const { timers, trips, dog } = watchdog({ stallTimeoutMs: 1000, minBytesPerSecond: 0, rateWindowMs: 5000 });
    for (let i = 0; i < 20; i++) {
      timers.advance(500);
      dog.activity(1);
    }
    expect(trips).toEqual([]);
    dog.stop();
    expect(timers.pendingDelays()).toEqual([]);
  });

  it('trips "too-slow" for a drip below the minimum rate over a full window, with the rate in the message', () => {
    const { timers, trips, dog } = watchdog({ stallTimeoutMs: 10_000, minBytesPerSecond: 1000, rateWindowMs: 2000 });
    for (let i = 0; i < 40 && trips.length === 0; i++) {
      timers.advance(100);
      dog.activity(50); // 500 B/s
    }
    expect(trips.map(([trip]) => trip)).toEqual(['too-slow']);
    // About 500 B/s: the check may run before the chunk of its own instant is counted.
    expect(trips[0][1]).toMatch(/^(4[5-9]\d|500) B\/s over the last 2000 ms, below the 1000 B\/s minimum$/);
    expect(timers.clock()).toBeLessThanOrEqual(2500);
  });

  it('a fast transfer that slows down trips only once the last window is slow', () => {
    const { timers, trips, dog } = watchdog({ stallTimeoutMs: 10_000, minBytesPerSecond: 1000, rateWindowMs: 2000 });
    for (let i = 0; i < 30; i++) {
      timers.advance(100);
      dog.activity(1000); // 10 kB/s for 3 s
    }
    for (let i = 0; i < 15; i++) {
      timers.advance(100);
      dog.activity(10); // then 100 B/s
    }
    expect(trips).toEqual([]);
    for (let i = 0; i < 10 && trips.length === 0; i++) {
      timers.advance(100);
      dog.activity(10);
    }
    expect(trips.map(([trip]) => trip)).toEqual(['too-slow']);
  });

  it('a check that runs late (a blocked event loop) waits for the reads pending meanwhile before deciding', () => {
    // Timers that run only when the test says, at whatever time the test sets: a late timer.
    let now = 0;
    const pending: { callback: () => void; delayMs: number }[] = [];
    const runNext = (at: number) => {
      now = at;
      pending.shift()!.callback();
    };
    const trips: WatchdogTrip[] = [];
    const dog = new TransferWatchdog(
      { stallTimeoutMs: 1000, minBytesPerSecond: 0, rateWindowMs: 5000, clock: () => now, timers: { setTimeout: (callback, delayMs) => pending.push({ callback, delayMs }), clearTimeout: () => undefined } },
      (trip) => trips.push(trip),
    );
    dog.start();
    expect(pending.map((timer) => timer.delayMs)).toEqual([250]);
    // The check due at 250 runs at 1500: no verdict yet, another check at once.
    runNext(1500);
    expect(trips).toEqual([]);
    expect(pending.map((timer) => timer.delayMs)).toEqual([0]);
    dog.activity(100); // the socket read that was waiting behind the timer
    runNext(1500);
    expect(trips).toEqual([]);
    // Truly nothing afterwards, checks on time: stalled.
    for (let at = 1750; trips.length === 0 && at <= 3000; at += 250) runNext(at);
    expect(trips).toEqual(['stalled']);
    expect(now).toBe(2500);
  });

  it('nothing at all is a stall, not a slow drip', () => {
    const { timers, trips } = watchdog({ stallTimeoutMs: 3000, minBytesPerSecond: 1000, rateWindowMs: 1000 });
    timers.advance(3000);
    expect(trips.map(([trip]) => trip)).toEqual(['stalled']);
  });
});

describe('SeedBackoff', () => {
  const error = (retryAfterMs?: number) => new WebSeedError('unavailable', 'http://h/x', '503', { status: 503, retryAfterMs });

  it('doubles from the base with jitter, caps at the max, resets on success, and takes Retry-After (capped) over it', () => {
    const timers = new ManualTimers();
    const backoff = new SeedBackoff({ clock: timers.clock, timers, random: () => 1, backoffBaseMs: 1000, backoffMaxMs: 5000, maxRetryAfterMs: 60_000 });
    expect([1, 2, 3, 4, 5].map(() => backoff.failed(error()))).toEqual([1000, 2000, 4000, 5000, 5000]);
    backoff.succeeded();
    expect(backoff.failed(error())).toBe(1000);
    expect(backoff.failed(error(30_000))).toBe(30_000);
    expect(backoff.failed(error(600_000))).toBe(60_000);
  });

  it('wait() resolves when the time has come, or rejects when the signal fires first', async () => {
    const timers = new ManualTimers();
    const backoff = new SeedBackoff({ clock: timers.clock, timers, random: () => 0, backoffBaseMs: 1000, backoffMaxMs: 5000, maxRetryAfterMs: 60_000 });
    backoff.failed(error(3000));
    let done = false;
    const waiting = backoff.wait(new AbortController().signal).then(() => (done = true));
    timers.advance(2999);
    await Promise.resolve();
    expect(done).toBe(false);
    timers.advance(1);
    await waiting;
    expect(backoff.remainingMs).toBe(0);

    backoff.failed(error(3000));
    const controller = new AbortController();
    const aborted = backoff.wait(controller.signal);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(timers.pendingDelays()).toEqual([]);
  });
});
