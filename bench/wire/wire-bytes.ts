import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How to run `ss`: plain, or through `ip netns exec NS ss` to see a namespace's sockets. */
export interface SsCommand {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The most bytes acknowledged on any established TCP connection touching these ports, from the kernel
 * (`ss -ti`): the seeder's payload sent so far, whichever client it is. Per-process counters cannot do
 * this: /proc/PID/io counts write() but not sendmsg(), which libtorrent uses.
 */
export async function bytesAcked(ports: readonly number[], ss: SsCommand = { command: 'ss', args: [] }): Promise<number> {
  const filter = `( ${ports.map((port) => `sport = :${port} or dport = :${port}`).join(' or ')} )`;
  const { stdout } = await run(ss.command, [...ss.args, '-tinH', 'state', 'established', filter]);
  let most = 0;
  for (const match of stdout.matchAll(/bytes_acked:(\d+)/g)) most = Math.max(most, Number(match[1]));
  return most;
}

/**
 * Resolves with the moment a connection between the two ports has carried `threshold` bytes, polling
 * every 25 ms; undefined if `done()` says the transfer ended first or `ss` is unavailable.
 */
export async function whenBytesFlowed(ports: readonly number[], threshold: number, done: () => boolean, ss?: SsCommand): Promise<number | undefined> {
  while (!done()) {
    try {
      if ((await bytesAcked(ports, ss)) >= threshold) return performance.now();
    } catch {
      return undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return undefined;
}
