import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ManagedProcess, systemPython } from '@seedfleet/testing';

/** One line of magnet-libtorrent.py. */
export type LtEvent =
  | { event: 'ready'; port: number }
  | { event: 'metadata'; infoHash: string }
  | { event: 'progress'; state: string; done: number; total: number; peers: { address: string; pex: boolean }[] }
  | { event: 'complete' }
  | { event: 'error'; message: string };

/** libtorrent seeding a .torrent or downloading a magnet (test/interop/magnet-libtorrent.py). */
export class LtMagnetPeer {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
    /** Every line so far; grows as the process prints. */
    readonly events: LtEvent[],
  ) {}

  static async start(args: { torrent?: string; magnet?: string; dir: string; peers?: { host: string; port: number }[]; pex?: boolean; downloadLimit?: number }): Promise<LtMagnetPeer> {
    const child = await ManagedProcess.start('libtorrent', systemPython, [join(__dirname, 'magnet-libtorrent.py'), JSON.stringify(args)]);
    const events: LtEvent[] = [];
    const lines = createInterface({ input: child.child.stdout });
    lines.on('line', (line) => {
      try {
        events.push(JSON.parse(line) as LtEvent);
      } catch {
        // not ours
      }
    });
    const timeout = AbortSignal.timeout(60_000);
    while (!events.some((event) => event.event === 'ready' || event.event === 'error')) {
      if (timeout.aborted || !child.running) {
        await child.stop();
        throw new Error(`libtorrent did not start: ${child.describeExit()}`);
      }
      await Promise.race([once(lines, 'line', { signal: timeout }).catch(() => undefined), child.exited]);
    }
    const ready = events.find((event) => event.event === 'ready');
    if (!ready || ready.event !== 'ready') {
      await child.stop();
      throw new Error(`libtorrent failed: ${JSON.stringify(events)}`);
    }
    return new LtMagnetPeer(child, ready.port, events);
  }

  has(name: LtEvent['event']): boolean {
    return this.events.some((event) => event.event === name);
  }

  lastProgress(): Extract<LtEvent, { event: 'progress' }> | undefined {
    return this.events.filter((event): event is Extract<LtEvent, { event: 'progress' }> => event.event === 'progress').at(-1);
  }

  connect(host: string, port: number): void {
    this.process.child.stdin.write(`${JSON.stringify({ command: 'connect', host, port })}\n`);
  }

  async stop(): Promise<void> {
    this.process.child.stdin.end();
    await this.process.stop();
  }
}
