import type { OutputStream } from '../io';
import { renderTransferLine } from './transfer-line';
import { progressJson, type TransferProgress } from './transfer-progress';

/**
 * Shows a transfer: with --json-progress one JSON line per update on stdout (for scripts and the agent's
 * log shipping), else a status line redrawn in place on stderr when it is a terminal, else nothing
 * (logs stay clean; the final summary is printed by the command).
 */
export class TransferReporter {
  private drawn = false;
  private lastJson = '';

  constructor(
    private readonly stdout: OutputStream,
    private readonly stderr: OutputStream,
    private readonly json: boolean,
  ) {}

  update(progress: TransferProgress): void {
    if (this.json) {
      const line = progressJson(progress);
      // A seeder with no traffic would print the same line every second forever: once is enough.
      if (line !== this.lastJson) this.stdout.write(`${line}\n`);
      this.lastJson = line;
      return;
    }
    if (!this.stderr.isTTY) return;
    this.stderr.write(`\r${renderTransferLine(progress, this.stderr.columns ?? 80)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the status line so what follows starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
