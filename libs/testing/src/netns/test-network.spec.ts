import { execFileSync } from 'node:child_process';
import { cleanupStaleNetworks, createTestNetwork, listTestNamespaces, measureTcpRate, type TestNetwork } from './index';
import { namespaceName, newRunId, ownerPid, parseNetnsList } from './network-names';
import { tbfArgs } from './shaping';

const mib = 1024 * 1024;

describe('network names', () => {
  it('encode the creating PID so stale namespaces can be told from live ones', () => {
    const name = namespaceName(newRunId(4242), 'h3');
    expect(name.startsWith('sfn-')).toBe(true);
    expect(ownerPid(name)).toBe(4242);
    expect(ownerPid('someone-elses-ns')).toBeUndefined();
    expect(parseNetnsList('sfn-a-br (id: 1)\nother\n\n')).toEqual(['sfn-a-br', 'other']);
  });

  it('tbf arguments refuse a non-positive rate and size the bucket for GSO packets', () => {
    expect(() => tbfArgs('ns', 'eth0', 0)).toThrow(RangeError);
    const args = tbfArgs('ns', 'eth0', 10);
    expect(args).toContain('10mbit');
    expect(Number(args[args.indexOf('burst') + 1])).toBeGreaterThanOrEqual(64 * 1024);
  });
});

function canUseNamespaces(): boolean {
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
}

// Needs root and iproute2 (the bench machine and CI runner have both); elsewhere the suite says why it skips.
const describeNetns = canUseNamespaces() ? describe : describe.skip;

describeNetns('createTestNetwork (real namespaces, tbf shaping)', () => {
  let network: TestNetwork | undefined;

  afterEach(async () => {
    await network?.destroy();
    network = undefined;
  });

  it('shapes each host’s upload and download to its configured rate, and destroy() leaves no namespace', async () => {
    network = await createTestNetwork({ hosts: [{ name: 'a', upMbit: 20, downMbit: 12 }, { name: 'b', downMbit: 30 }] });
    const namespaces = [network.bridgeNamespace, ...network.hosts.map((host) => host.namespace)];
    expect(await listTestNamespaces()).toEqual(expect.arrayContaining(namespaces));

    // a -> b: a's 20 Mbit upload is the bottleneck (b may download 30).
    const upload = await measureTcpRate(network, 'a', 'b', 4 * mib);
    expect(upload.mbit).toBeGreaterThan(20 * 0.7);
    expect(upload.mbit).toBeLessThan(20 * 1.1);
    // b -> a: a's 12 Mbit download is the bottleneck (b's upload is unshaped).
    const download = await measureTcpRate(network, 'b', 'a', 3 * mib);
    expect(download.mbit).toBeGreaterThan(12 * 0.7);
    expect(download.mbit).toBeLessThan(12 * 1.1);

    const bytes = await network.linkBytes('a');
    expect(bytes.txBytes).toBeGreaterThan(4 * mib);
    expect(bytes.rxBytes).toBeGreaterThan(3 * mib);

    await network.destroy();
    const left = await listTestNamespaces();
    for (const namespace of namespaces) expect(left).not.toContain(namespace);
  }, 60_000);

  it('relays TCP through a host with added latency, byte for byte', async () => {
    network = await createTestNetwork({ hosts: [{ name: 'client' }, { name: 'relay' }, { name: 'server' }] });
    const server = network.host('server');
    const echo = await network.spawn('server', 'echo', process.execPath, [
      '-e',
      `require('node:net').createServer((s) => s.pipe(s)).listen(7000, '${server.address}', () => console.log('up'))`,
    ]);
    await new Promise<void>((resolve) => echo.child.stdout.once('data', () => resolve()));
    const relay = await network.startRelay('relay', { targetHost: server.address, targetPort: 7000, delayMs: 50 });
    const probe = `const s = require('node:net').connect(${relay.port}, '${relay.address}', () => { const t = Date.now(); s.write('x'.repeat(100000));
      let n = 0; s.on('data', (d) => { n += d.length; if (n === 100000) { console.log(Date.now() - t); s.end(); } }); });`;
    const result = await network.exec('client', process.execPath, ['-e', probe], { timeoutMs: 20_000 });
    // One round trip through the relay: 50 ms each way at least.
    expect(Number(result.stdout.trim())).toBeGreaterThanOrEqual(100);
    await relay.stop();
    await echo.stop();
  }, 60_000);

  it('kills what still runs inside on destroy()', async () => {
    network = await createTestNetwork({ hosts: [{ name: 'only' }] });
    const sleeper = await network.spawn('only', 'sleeper', process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    expect(await network.pidsInside()).toContain(sleeper.pid);
    await network.destroy();
    expect(await sleeper.exited).toEqual({ code: null, signal: 'SIGKILL' });
  }, 30_000);

  it('cleanupStaleNetworks removes nothing that belongs to a live run', async () => {
    network = await createTestNetwork({ hosts: [{ name: 'live' }] });
    const removed = await cleanupStaleNetworks();
    expect(removed).not.toContain(network.bridgeNamespace);
    expect(await listTestNamespaces()).toContain(network.bridgeNamespace);
  }, 30_000);
});

