import type { ReleaseRepository } from '../releases/release.repository';

const PROGRESS_INTERVAL_MS = 500;

/** Writes build progress to the record at most every PROGRESS_INTERVAL_MS, one write at a time. */
export class ProgressWriter {
  private latest = 0;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly releases: ReleaseRepository,
    private readonly releaseId: string,
  ) {}

  report(bytesDone: number): void {
    this.latest = bytesDone;
    const now = Date.now();
    if (this.stopped || now - this.lastWrite < PROGRESS_INTERVAL_MS) return;
    this.lastWrite = now;
    this.writing = this.writing.then(() => this.write()).catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.writing;
  }

  private async write(): Promise<void> {
    const bytesDone = this.latest;
    await this.releases.update(this.releaseId, (current) =>
      current.status === 'building' && current.build && current.build.bytesDone < bytesDone ? { ...current, build: { ...current.build, bytesDone } } : undefined,
    );
  }
}
