import { PolicyError } from './errors';
import { requestQueueDepth } from './request-depth';

const MiB = 1024 * 1024;

describe('requestQueueDepth', () => {
  it.each([
    { case: 'unmeasured peer', input: { downloadRate: 0 }, depth: 4 },
    { case: '16 KiB/s: 3 blocks in 3 s, raised to min', input: { downloadRate: 16 * 1024 }, depth: 4 },
    { case: '1 MiB/s: 3 MiB = 192 blocks', input: { downloadRate: MiB }, depth: 192 },
    { case: '100 MiB/s: capped at max', input: { downloadRate: 100 * MiB }, depth: 500 },
    { case: 'higher max for fast links', input: { downloadRate: 100 * MiB, max: 5000 }, depth: 5000 },
    { case: 'peer reqq caps it', input: { downloadRate: MiB, peerMaxRequests: 128 }, depth: 128 },
    { case: 'reqq below min wins', input: { downloadRate: 0, peerMaxRequests: 2 }, depth: 2 },
    { case: 'nonsense reqq ignored', input: { downloadRate: MiB, peerMaxRequests: 0 }, depth: 192 },
    { case: '1 s target', input: { downloadRate: MiB, targetSeconds: 1 }, depth: 64 },
    { case: '32 KiB blocks', input: { downloadRate: MiB, blockSize: 32 * 1024 }, depth: 96 },
    { case: 'snubbed', input: { downloadRate: MiB, snubbed: true }, depth: 1 },
    { case: 'NaN rate', input: { downloadRate: NaN }, depth: 4 },
  ])('$case -> $depth', ({ input, depth }) => {
    expect(requestQueueDepth(input)).toBe(depth);
  });

  it.each([{ min: 0 }, { min: 10, max: 5 }, { blockSize: 0 }, { targetSeconds: -1 }])('refuses options %j', (options) => {
    expect(() => requestQueueDepth({ downloadRate: 1, ...options })).toThrow(PolicyError);
  });
});
