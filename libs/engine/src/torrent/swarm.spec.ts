import { createServer } from 'node:net';
import { ConnectionLimits } from '../net/connection-limits';
import { Swarm } from './swarm';

/** A port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function swarmAt(clock: () => number, limits = new ConnectionLimits<string>()) {
  const connected: string[] = [];
  const swarm = new Swarm<string>({
    owner: 'torrent',
    limits,
    infoHash: Buffer.alloc(20, 1),
    peerId: Buffer.from('-SF0001-swarmspec001', 'latin1'),
    flags: {},
    clock,
    onConnected: (_connection, candidate) => connected.push(candidate),
  });
  return { swarm, limits, connected };
}

it('backs off from an address that refuses, doubling the wait per failure', async () => {
  let now = 0;
  const { swarm, limits } = swarmAt(() => now);
  const port = await closedPort();
  swarm.start();
  swarm.add([{ host: '127.0.0.1', port }]);
  expect(limits.halfOpen).toBe(1);
  await until(() => limits.halfOpen === 0);
  // First failure: 2 s.
  now = 1_999;
  swarm.connectMore();
  expect(limits.halfOpen).toBe(0);
  now = 2_000;
  swarm.connectMore();
  expect(limits.halfOpen).toBe(1);
  await until(() => limits.halfOpen === 0);
  // Second failure: 4 s.
  now = 5_999;
  swarm.connectMore();
  expect(limits.halfOpen).toBe(0);
  now = 6_000;
  swarm.connectMore();
  expect(limits.halfOpen).toBe(1);
  await until(() => limits.halfOpen === 0);
  swarm.stop();
});

it('ignores malformed addresses, does not dial while stopped, and forgets forbidden ones', async () => {
  const { swarm, limits } = swarmAt(() => 0);
  swarm.add([{ host: '', port: 1 }, { host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 70_000 }]);
  expect(swarm.candidateCount).toBe(0);
  const port = await closedPort();
  swarm.add([{ host: '127.0.0.1', port }]);
  expect(swarm.candidateCount).toBe(1);
  expect(limits.halfOpen).toBe(0);
  swarm.forbid(`127.0.0.1:${port}`);
  swarm.add([{ host: '127.0.0.1', port }]);
  swarm.start();
  expect(swarm.candidateCount).toBe(0);
  expect(limits.halfOpen).toBe(0);
});

it('dials no more than the connection limits allow', async () => {
  const limits = new ConnectionLimits<string>({ maxHalfOpen: 2 });
  const { swarm } = swarmAt(() => 0, limits);
  const ports = [await closedPort(), await closedPort(), await closedPort()];
  swarm.start();
  swarm.add(ports.map((port) => ({ host: '127.0.0.1', port })));
  expect(limits.halfOpen).toBe(2);
  await until(() => limits.halfOpen === 0);
  swarm.stop();
});
