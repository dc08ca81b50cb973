import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '@seedfleet/testing';

export interface ProcessMeasurement {
  readonly wallSeconds: number;
  /** User + system CPU of the process and the children it waited for. */
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
}

let sequence = 0;

/**
 * Runs one command under GNU time, which reports the child's rusage (CPU, max RSS) the same way for
 * every tool, ours included, so no tool is measured from inside itself.
 */
export async function measureProcess(command: string, args: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<ProcessMeasurement> {
  const report = join(tmpdir(), `seedfleet-bench-time-${process.pid}-${sequence++}.txt`);
  try {
    const startedAt = performance.now();
    await runTool('/usr/bin/time', ['-f', '%U %S %M', '-o', report, command, ...args], { timeoutMs, env });
    const wallSeconds = (performance.now() - startedAt) / 1000;
    const [user, system, maxRssKiB] = (await readFile(report, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
    return { wallSeconds, cpuSeconds: user + system, peakRssBytes: maxRssKiB * 1024 };
  } finally {
    await rm(report, { force: true });
  }
}
