/** Least time between two periodic saves. */
const PERIOD_MS = 30_000;

/**
 * When to write resume data: periodic saves only when pieces were added since the last save and at most
 * every 30 s; a final save whenever asked. Saves never overlap: one asked for during another waits for
 * it and then runs, so the last state asked for is the one on disk.
 */
export class ResumeSaver {
  private savedCount = -1;
  private savedAt = -Infinity;
  private running: Promise<void> | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly clock: () => number,
  ) {}

  async save(pieceCount: number, force: boolean): Promise<void> {
    if (!force && (pieceCount === this.savedCount || this.clock() - this.savedAt < PERIOD_MS)) return;
    while (this.running) await this.running.catch(() => undefined);
    this.savedAt = this.clock();
    this.savedCount = pieceCount;
    this.running = this.write().finally(() => (this.running = undefined));
    await this.running;
  }

  /**
   * save(), with a failure reported as a process warning: it does not stop the torrent, the data is
   * fine and only a restart would re-check more.
   */
  async saveOrWarn(pieceCount: number, force: boolean, torrentName: string): Promise<void> {
    try {
      await this.save(pieceCount, force);
    } catch (error) {
      process.emitWarning(`torrent "${torrentName}": saving resume data failed: ${(error as Error).message}`, 'TorrentResumeWarning');
    }
  }
}
