import { PolicyError } from './errors';
import { requestTimeoutMs } from './request-timeout';

const KiB = 1024;

describe('requestTimeoutMs', () => {
  it.each([
    { case: 'unmeasured peer waits the ceiling', input: { downloadRate: 0 }, ms: 60_000 },
    { case: 'fast peer: the floor', input: { downloadRate: 1024 * KiB }, ms: 10_000 },
    { case: '1 MiB queued at 16 KiB/s: 3 x 64 s, capped', input: { downloadRate: 16 * KiB, queuedBytes: 1024 * KiB }, ms: 60_000 },
    { case: '256 KiB queued at 16 KiB/s: 3 x 16 s', input: { downloadRate: 16 * KiB, queuedBytes: 256 * KiB }, ms: 48_000 },
    { case: 'multiplier 2', input: { downloadRate: 16 * KiB, queuedBytes: 256 * KiB, multiplier: 2 }, ms: 32_000 },
    { case: 'custom floor', input: { downloadRate: 1024 * KiB, floorMs: 2000 }, ms: 2000 },
  ])('$case -> $ms ms', ({ input, ms }) => {
    expect(requestTimeoutMs(input)).toBe(ms);
  });

  it('refuses a ceiling below the floor', () => {
    expect(() => requestTimeoutMs({ downloadRate: 1, floorMs: 10, ceilingMs: 5 })).toThrow(PolicyError);
  });
});
