import { spawn } from 'node:child_process';
import { ProcessStatsSampler, readProcessStats } from './process-stats';
import { waitFor } from './wait-for';

function burnCpu(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) Math.sqrt(Math.random());
}

it('reads CPU seconds that grow with work and a peak RSS at least the current one', async () => {
  const before = await readProcessStats(process.pid);
  burnCpu(300);
  const after = await readProcessStats(process.pid);
  expect(after.cpuSeconds - before.cpuSeconds).toBeGreaterThan(0.1);
  expect(after.peakRssBytes).toBeGreaterThanOrEqual(after.rssBytes);
  expect(after.anonRssBytes).toBeGreaterThan(0);
});

it('counts live descendants when asked, and only then', async () => {
  // The shell starts a CPU burner, waits for a line on stdin, then kills the burner by its PID.
  const shell = spawn('sh', ['-c', 'sh -c "while :; do :; done" & echo $!; read line; kill $!; wait'], { stdio: ['pipe', 'pipe', 'ignore'] });
  await new Promise((resolve) => shell.stdout.once('data', resolve));
  const sampler = new ProcessStatsSampler(shell.pid!, { includeChildren: true, intervalMs: 50 }).start();
  const tree = await waitFor('the burner to use 0.2 s of CPU', async () => {
    const stats = await sampler.read();
    return stats.cpuSeconds > 0.2 ? stats : undefined;
  }, { timeoutMs: 20_000, intervalMs: 20 });
  const shellOnly = await readProcessStats(shell.pid!);
  await sampler.stop();
  const exited = new Promise((resolve) => shell.once('exit', resolve));
  shell.stdin.end('\n');
  await exited;
  expect(tree.peakAnonRssBytes).toBeGreaterThan(0);
  expect(shellOnly.cpuSeconds).toBeLessThan(tree.cpuSeconds / 2);
});

it('throws for a process that does not exist', async () => {
  await expect(readProcessStats(2 ** 22 + 12345)).rejects.toThrow(/ENOENT/);
});
