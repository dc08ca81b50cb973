import { renderProgressLine } from './progress-line';

const gib = 1024 ** 3;

describe('renderProgressLine', () => {
  it('shows bar, percentage, bytes, rate and ETA', () => {
    const line = renderProgressLine({ label: 'hashing', doneBytes: gib, totalBytes: 4 * gib, elapsedMs: 2000 }, 120);
    expect(line).toBe(`hashing [${'#'.repeat(8)}${'-'.repeat(22)}]  25%  1.00 GiB / 4.00 GiB  512.00 MiB/s  ETA 0:06`);
  });

  it('never exceeds the terminal width', () => {
    for (const columns of [20, 40, 60, 80, 200]) {
      const line = renderProgressLine({ label: 'hashing', doneBytes: 3 * gib, totalBytes: 4 * gib, elapsedMs: 1500 }, columns);
      expect(line.length).toBeLessThan(columns);
    }
  });

  it('has no rate or ETA before time has passed, and a full bar for empty content', () => {
    expect(renderProgressLine({ label: 'x', doneBytes: 0, totalBytes: 10, elapsedMs: 0 }, 100)).toContain('0 B/s  ETA -:--');
    expect(renderProgressLine({ label: 'x', doneBytes: 0, totalBytes: 0, elapsedMs: 0 }, 100)).toContain(`[${'#'.repeat(30)}] 100%`);
  });
});
