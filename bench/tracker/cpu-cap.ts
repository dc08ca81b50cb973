import { mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The cgroup v1 cpu controller's root (this machine has no cpu controller in its cgroup v2 hierarchy). */
const CPU_CGROUPS = '/sys/fs/cgroup/cpu';
// A short period: a process over its quota waits at most the rest of one period (a 100 ms period put 70 ms
// stalls into p99), at the cost of more scheduler work.
const PERIOD_US = 10_000;

/**
 * Caps one process (all its threads) at `cpus` CPUs with a CFS quota in a cgroup of its own, so a
 * replica's throughput is bounded by its share, not by what Redis and the load generator leave over:
 * with the trackers capped, two replicas can show whether they add capacity on a 2-core machine.
 * Needs root and the cgroup v1 cpu controller. `release()` moves the process back and removes the group.
 */
export async function capProcessCpu(pid: number, cpus: number, label: string): Promise<{ release(): Promise<void> }> {
  const group = join(CPU_CGROUPS, `seedfleet-bench-${label}-${process.pid}-${pid}`);
  try {
    await mkdir(group);
    await writeFile(join(group, 'cpu.cfs_period_us'), String(PERIOD_US));
    await writeFile(join(group, 'cpu.cfs_quota_us'), String(Math.round(cpus * PERIOD_US)));
    await writeFile(join(group, 'cgroup.procs'), String(pid));
  } catch (error) {
    await rmdir(group).catch(() => undefined);
    throw new Error(`--replica-cpu needs root and the cgroup v1 cpu controller at ${CPU_CGROUPS}: ${(error as Error).message}`);
  }
  return {
    release: async () => {
      // A process that already exited has left the group by itself.
      await writeFile(join(CPU_CGROUPS, 'cgroup.procs'), String(pid)).catch(() => undefined);
      await rmdir(group);
    },
  };
}
