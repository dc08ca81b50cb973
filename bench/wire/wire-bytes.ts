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
 * (`ss -ti`): the seeder's payload sent so far, whichever client it is; undefined while there is no such
 * connection. Per-process counters cannot do this: /proc/PID/io counts write() but not sendmsg(), which
 * libtorrent uses.
 */
export async function bytesAcked(ports: readonly number[], ss: SsCommand = { command: 'ss', args: [] }): Promise<number | undefined> {
  const filter = `( ${ports.map((port) => `sport = :${port} or dport = :${port}`).join(' or ')} )`;
  const { stdout } = await run(ss.command, [...ss.args, '-tinH', 'state', 'established', filter]);
  if (stdout.trim() === '') return undefined;
  let most = 0;
  for (const match of stdout.matchAll(/bytes_acked:(\d+)/g)) most = Math.max(most, Number(match[1]));
  return most;
}

/** When (performance.now()) a connection between the ports was first seen, and when it had carried the threshold. */
export interface FlowMoments {
  readonly connectedAt?: number;
  readonly flowedAt?: number;
}

/**
 * Polls every 25 ms until a connection between the two ports has carried `threshold` bytes, noting when
 * the connection first showed up (a client's dial delay, apart from its start-up on the connection).
 * Gives up, with what it saw, when `done()` says the transfer ended or `ss` is unavailable.
 */
export async function whenBytesFlowed(ports: readonly number[], threshold: number, done: () => boolean, ss?: SsCommand): Promise<FlowMoments> {
  let connectedAt: number | undefined;
  while (!done()) {
    let acked: number | undefined;
    try {
      acked = await bytesAcked(ports, ss);
    } catch {
      return { connectedAt };
    }
    const now = performance.now();
    if (acked !== undefined) connectedAt ??= now;
    if (acked !== undefined && acked >= threshold) return { connectedAt, flowedAt: now };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { connectedAt };
}
