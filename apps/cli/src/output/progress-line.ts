import { formatBytes, formatDuration, formatRate } from './format-units';

export interface ProgressSnapshot {
  readonly label: string;
  readonly doneBytes: number;
  readonly totalBytes: number;
  readonly elapsedMs: number;
}

const minBarWidth = 10;
const maxBarWidth = 30;

/** One status line, e.g. `hashing [#######-----]  58%  2.31 GiB / 4.00 GiB  812.40 MiB/s  ETA 0:03`, fit to `columns`. */
export function renderProgressLine(snapshot: ProgressSnapshot, columns: number): string {
  const fraction = snapshot.totalBytes > 0 ? Math.min(1, snapshot.doneBytes / snapshot.totalBytes) : 1;
  const seconds = snapshot.elapsedMs / 1000;
  const rate = seconds > 0 ? snapshot.doneBytes / seconds : 0;
  const eta = rate > 0 ? formatDuration((snapshot.totalBytes - snapshot.doneBytes) / rate) : '-:--';
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const tail = `${percent}  ${formatBytes(snapshot.doneBytes)} / ${formatBytes(snapshot.totalBytes)}  ${formatRate(rate)}  ETA ${eta}`;
  const room = columns - snapshot.label.length - tail.length - 5;
  if (room < minBarWidth) return `${snapshot.label} ${tail}`.slice(0, Math.max(0, columns - 1));
  const width = Math.min(maxBarWidth, room);
  const filled = Math.round(fraction * width);
  return `${snapshot.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${tail}`;
}
