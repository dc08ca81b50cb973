import { formatBytes, formatDuration, formatRate } from '../output/format-units';
import type { TransferProgress } from './transfer-progress';

const barWidth = 20;

/**
 * One terminal status line for a transfer, e.g.
 * `downloading [########------------]  42%  1.26 GiB / 3.00 GiB  ↓ 81.20 MiB/s  ↑ 1.02 MiB/s  12 peers  ETA 0:22`,
 * cut to `columns`. While checking, the bar shows pieces checked.
 */
export function renderTransferLine(progress: TransferProgress, columns: number): string {
  const checking = progress.checked !== undefined && progress.state === 'checking';
  const done = checking ? progress.checked!.done : progress.downloaded;
  const total = checking ? progress.checked!.total : progress.total;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * barWidth);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const amount = checking ? `${done} / ${total} pieces` : `${formatBytes(done)} / ${formatBytes(total)}`;
  const parts = [`${progress.state} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}`, amount];
  if (!checking) {
    parts.push(`↓ ${formatRate(progress.downRate)}`, `↑ ${formatRate(progress.upRate)}`, `${progress.peers} peer${progress.peers === 1 ? '' : 's'}`);
    if (progress.state === 'downloading') {
      parts.push(`ETA ${progress.downRate > 0 ? formatDuration((progress.total - progress.downloaded) / progress.downRate) : '-:--'}`);
    }
  }
  const line = parts.join('  ');
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1));
}
