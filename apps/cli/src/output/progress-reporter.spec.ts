import { ProgressReporter } from './progress-reporter';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 100, write: (text: string) => writes.push(text) };
}

describe('ProgressReporter', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const out = stream(false);
    const reporter = new ProgressReporter(out, 'hashing', () => 0);
    reporter.update(5, 10);
    reporter.finish();
    expect(out.writes).toEqual([]);
  });

  it('redraws in place at most every 100 ms, always draws completion, and clears the line at the end', () => {
    const out = stream(true);
    let now = 0;
    const reporter = new ProgressReporter(out, 'hashing', () => now);
    reporter.update(1, 10);
    now = 50;
    reporter.update(2, 10);
    now = 150;
    reporter.update(3, 10);
    now = 160;
    reporter.update(10, 10);
    reporter.finish();
    expect(out.writes).toHaveLength(4);
    expect(out.writes.slice(0, 3).every((text) => text.startsWith('\rhashing [') && text.endsWith('\x1b[K'))).toBe(true);
    expect(out.writes[2]).toContain('100%');
    expect(out.writes[3]).toBe('\r\x1b[K');
  });
});
