import { ManagedProcess } from './managed-process';
import { ToolMissingError } from '../tool-errors';
import { waitFor, WaitTimeoutError } from './wait-for';
import { freePort } from './free-port';
import { createServer } from 'node:net';

it('stops a child by PID with SIGTERM', async () => {
  const child = await ManagedProcess.start('sleep', 'sleep', ['60']);
  expect(child.running).toBe(true);
  const exit = await child.stop();
  expect(exit.signal).toBe('SIGTERM');
  expect(child.running).toBe(false);
});

it('escalates to SIGKILL when the child ignores SIGTERM', async () => {
  const child = await ManagedProcess.start('sh', 'sh', ['-c', "trap '' TERM; echo armed; while :; do sleep 1; done"]);
  await new Promise((resolve) => child.child.stdout.once('data', resolve));
  const exit = await child.stop(200);
  expect(exit.signal).toBe('SIGKILL');
});

it('keeps the stderr tail for the error message of an early exit', async () => {
  const child = await ManagedProcess.start('sh', 'sh', ['-c', 'echo broken config >&2; exit 3']);
  await child.exited;
  expect(child.describeExit()).toMatch(/exited with code 3: broken config/);
});

it('reports a missing command as ToolMissingError', async () => {
  await expect(ManagedProcess.start('nope', 'seedfleet-no-such-tool', [])).rejects.toBeInstanceOf(ToolMissingError);
});

it('waitFor returns the first defined value, and times out naming what it waited for', async () => {
  let calls = 0;
  await expect(waitFor('three calls', async () => (++calls === 3 ? calls : undefined), { timeoutMs: 5000, intervalMs: 1 })).resolves.toBe(3);
  await expect(waitFor('never', async () => undefined, { timeoutMs: 30, intervalMs: 5 })).rejects.toBeInstanceOf(WaitTimeoutError);
  await expect(waitFor('aborted', async () => undefined, { timeoutMs: 5000, abortIf: () => new Error('child died') })).rejects.toThrow('child died');
});

it('freePort gives a port that can be bound', async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  await new Promise((resolve) => server.close(resolve));
  expect(port).toBeGreaterThan(0);
});
