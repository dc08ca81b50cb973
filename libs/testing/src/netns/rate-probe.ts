import { createInterface } from 'node:readline';
import { netnsScript } from './script-path';
import type { TestNetwork } from './test-network';

export interface ProbeResult {
  readonly bytes: number;
  readonly seconds: number;
  readonly mbit: number;
}

/** The first JSON line with this event on a process's stdout. */
function nextEvent<T>(stdout: NodeJS.ReadableStream, event: string, exited: Promise<unknown>, describe: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { event: string };
      if (parsed.event === event) resolve(parsed as T);
    });
    void exited.then(() => reject(new Error(`exited before '${event}': ${describe()}`)));
  });
}

/**
 * Sends `bytes` over one TCP connection from host `from` to host `to` and returns the goodput the
 * receiver saw (first byte to end of stream): what the shaping of that path allows.
 */
export async function measureTcpRate(network: TestNetwork, from: string, to: string, bytes: number, timeoutMs = 120_000): Promise<ProbeResult> {
  const script = netnsScript('rate-probe.js');
  const target = network.host(to);
  const receiver = await network.spawn(to, `rate receiver in ${to}`, process.execPath, [script, 'receive', JSON.stringify({ host: target.address, port: 0 })]);
  const timer = setTimeout(() => receiver.signal('SIGKILL'), timeoutMs);
  try {
    const received = nextEvent<{ bytes: number; seconds: number }>(receiver.child.stdout, 'received', receiver.exited, () => receiver.describeExit());
    const { port } = await nextEvent<{ port: number }>(receiver.child.stdout, 'listening', receiver.exited, () => receiver.describeExit());
    const sender = await network.exec(from, process.execPath, [script, 'send', JSON.stringify({ host: target.address, port, bytes })], { timeoutMs });
    if (sender.exitCode !== 0) throw new Error(`rate sender in ${from} failed: ${sender.stderr}`);
    const result = await received;
    if (result.bytes !== bytes) throw new Error(`receiver in ${to} got ${result.bytes} of ${bytes} bytes`);
    return { bytes: result.bytes, seconds: result.seconds, mbit: (result.bytes * 8) / 1e6 / result.seconds };
  } finally {
    clearTimeout(timer);
    await receiver.stop();
  }
}
