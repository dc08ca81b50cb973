import { renderTransferLine } from './transfer-line';
import { progressJson, type TransferProgress } from './transfer-progress';
import { TransferReporter } from './transfer-reporter';

const base: TransferProgress = {
  state: 'downloading',
  downloaded: 1024 * 1024 * 512,
  total: 1024 * 1024 * 1024,
  uploaded: 1024,
  downRate: 10 * 1024 * 1024,
  upRate: 0,
  peers: 3,
  seeds: 1,
  piecesHave: 512,
  pieceCount: 1024,
};

function capture(isTTY: boolean): { text: () => string; stream: { isTTY: boolean; columns: number; write(text: string): void } } {
  let written = '';
  return { text: () => written, stream: { isTTY, columns: 120, write: (text: string) => void (written += text) } };
}

describe('progressJson', () => {
  it('has the documented keys first, with whole numbers for rates', () => {
    const parsed = JSON.parse(progressJson({ ...base, downRate: 1000.6 }));
    expect(Object.keys(parsed).slice(0, 6)).toEqual(['state', 'downloaded', 'total', 'downRate', 'upRate', 'peers']);
    expect(parsed).toMatchObject({ state: 'downloading', downloaded: base.downloaded, total: base.total, downRate: 1001, upRate: 0, peers: 3 });
    expect(parsed.error).toBeUndefined();
  });

  it('carries web-seed bytes and the number of web seeds in use', () => {
    const parsed = JSON.parse(progressJson({ ...base, webSeedDownloaded: 4096, webSeeds: 2 }));
    expect(parsed).toMatchObject({ webSeedDownloaded: 4096, webSeeds: 2 });
    expect(JSON.parse(progressJson(base))).toMatchObject({ webSeedDownloaded: 0, webSeeds: 0 });
  });

  it('carries checking progress and errors', () => {
    const parsed = JSON.parse(progressJson({ ...base, state: 'error', checked: { done: 5, total: 9 }, error: 'disk full' }));
    expect(parsed).toMatchObject({ state: 'error', checked: 5, checkTotal: 9, error: 'disk full' });
  });
});

describe('renderTransferLine', () => {
  it('shows percent, amounts, rates, peers and an ETA', () => {
    const line = renderTransferLine(base, 200);
    expect(line).toContain('downloading [##########----------]  50%');
    expect(line).toContain('512.00 MiB / 1.00 GiB');
    expect(line).toContain('↓ 10.00 MiB/s');
    expect(line).toContain('3 peers');
    expect(line).toContain('ETA 0:52');
  });

  it('counts pieces while checking and fits the terminal', () => {
    const line = renderTransferLine({ ...base, state: 'checking', checked: { done: 1, total: 4 } }, 200);
    expect(line).toContain('checking [#####---------------]  25%  1 / 4 pieces');
    expect(renderTransferLine(base, 40).length).toBeLessThan(40);
  });
});

describe('TransferReporter', () => {
  it('writes JSON lines to stdout, skipping repeats', () => {
    const out = capture(false);
    const err = capture(true);
    const reporter = new TransferReporter(out.stream, err.stream, true);
    reporter.update(base);
    reporter.update(base);
    reporter.update({ ...base, downloaded: base.total, state: 'seeding' });
    const lines = out.text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((line) => line.state)).toEqual(['downloading', 'seeding']);
    expect(err.text()).toBe('');
  });

  it('draws on a terminal only and clears the line when finished', () => {
    const tty = capture(true);
    const reporter = new TransferReporter(capture(false).stream, tty.stream, false);
    reporter.update(base);
    reporter.finish();
    expect(tty.text()).toMatch(/^\rdownloading .*\x1b\[K\r\x1b\[K$/);
    const pipe = capture(false);
    new TransferReporter(capture(false).stream, pipe.stream, false).update(base);
    expect(pipe.text()).toBe('');
  });
});
