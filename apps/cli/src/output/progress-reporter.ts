import type { OutputStream } from '../io';
import { renderProgressLine } from './progress-line';

const redrawIntervalMs = 100;

/**
 * Redraws one status line in place on a terminal (stderr), at most every 100 ms. On anything that is not
 * a TTY it writes nothing, so logs and pipes stay clean.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private lastDrawAt = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly label: string,
    private readonly now: () => number,
  ) {
    this.startedAt = now();
  }

  update(doneBytes: number, totalBytes: number): void {
    if (!this.stream.isTTY) return;
    const at = this.now();
    if (at - this.lastDrawAt < redrawIntervalMs && doneBytes < totalBytes) return;
    this.lastDrawAt = at;
    const line = renderProgressLine({ label: this.label, doneBytes, totalBytes, elapsedMs: at - this.startedAt }, this.stream.columns ?? 80);
    this.stream.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the status line so the next output starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
