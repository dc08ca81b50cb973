import { formatBytes, formatDuration, formatRate } from './format-units';

describe('unit formatting', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.00 KiB'],
    [1536, '1.50 KiB'],
    [4 * 1024 ** 3, '4.00 GiB'],
    [2 ** 60, '1024.00 PiB'],
  ])('formatBytes(%d) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('formats rates per second', () => {
    expect(formatRate(1024 * 1024 * 812.4)).toBe('812.40 MiB/s');
  });

  it.each([
    [0, '0:00'],
    [0.2, '0:01'],
    [59, '0:59'],
    [61, '1:01'],
    [3600, '1:00:00'],
    [3661, '1:01:01'],
    [-5, '0:00'],
  ])('formatDuration(%d) = %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
