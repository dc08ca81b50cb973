import { createInterface } from 'node:readline';
import { runTool, type ToolResult } from '../run-tool';
import { ManagedProcess, type SpawnOptions } from '../clients/managed-process';
import { cleanupOnExit } from './exit-cleanup';
import { ip, ipSync, tc } from './ip-command';
import { namespaceName, newRunId } from './network-names';
import { netnsScript } from './script-path';
import { tbfArgs } from './shaping';

export interface HostSpec {
  /** Letters, digits and dashes; unique within the network. */
  readonly name: string;
  /** Upload rate limit (egress of the host's interface), Mbit/s; omitted = unshaped. */
  readonly upMbit?: number;
  /** Download rate limit (egress of the bridge port towards the host), Mbit/s; omitted = unshaped. */
  readonly downMbit?: number;
}

export interface TestNetworkOptions {
  readonly hosts: readonly HostSpec[];
  /** The first two octets of the /16 the hosts get addresses in (default '10.77'); only inside the namespaces. */
  readonly subnet?: string;
}

export interface NetworkHost {
  readonly name: string;
  /** The network namespace the host's processes run in. */
  readonly namespace: string;
  /** Its IPv4 address on the bridge. */
  readonly address: string;
  readonly upMbit?: number;
  readonly downMbit?: number;
}

/** Bytes through a host's interface (kernel counters: payload plus TCP/IP headers). */
export interface LinkBytes {
  readonly txBytes: number;
  readonly rxBytes: number;
}

export interface Relay {
  readonly host: string;
  readonly address: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** The interface inside every host namespace; the bridge side is p<index>. */
const hostDevice = 'eth0';
const bridge = 'br0';

function validateHosts(hosts: readonly HostSpec[]): void {
  if (hosts.length === 0) throw new RangeError('a test network needs at least one host');
  if (hosts.length > 2000) throw new RangeError(`at most 2000 hosts, not ${hosts.length}`);
  const seen = new Set<string>();
  for (const host of hosts) {
    if (!/^[A-Za-z0-9-]{1,40}$/.test(host.name)) throw new RangeError(`host name '${host.name}' must be 1-40 letters, digits or dashes`);
    if (seen.has(host.name)) throw new RangeError(`host name '${host.name}' is used twice`);
    seen.add(host.name);
  }
}

function hostAddress(subnet: string, index: number): string {
  return `${subnet}.${1 + Math.floor(index / 250)}.${(index % 250) + 2}`;
}

/**
 * A bridge in a namespace of its own (the host's real interfaces are never touched), one namespace per
 * host joined to it by a veth pair, each host's upload and download shaped with tbf. Processes run inside
 * a host with exec/spawn/invocation. destroy() removes every namespace; so do exit and signal handlers
 * if the process ends first, and cleanupStaleNetworks() for runs that were killed outright.
 */
export class TestNetwork {
  private readonly hostsByName = new Map<string, NetworkHost>();
  private readonly relays = new Set<ManagedProcess>();
  private unregister: (() => void) | undefined;
  private destroyed = false;

  private constructor(
    readonly runId: string,
    readonly bridgeNamespace: string,
    hosts: readonly NetworkHost[],
  ) {
    for (const host of hosts) this.hostsByName.set(host.name, host);
    this.unregister = cleanupOnExit(() => this.destroySync());
  }

  static async create(options: TestNetworkOptions): Promise<TestNetwork> {
    validateHosts(options.hosts);
    const subnet = options.subnet ?? '10.77';
    if (!/^\d{1,3}\.\d{1,3}$/.test(subnet)) throw new RangeError(`subnet '${subnet}' must be two octets, e.g. 10.77`);
    const runId = newRunId();
    const bridgeNamespace = namespaceName(runId, 'br');
    const hosts = options.hosts.map((spec, index): NetworkHost => ({
      name: spec.name,
      namespace: namespaceName(runId, `h${index}`),
      address: hostAddress(subnet, index),
      upMbit: spec.upMbit,
      downMbit: spec.downMbit,
    }));
    const network = new TestNetwork(runId, bridgeNamespace, hosts);
    try {
      await ip(['netns', 'add', bridgeNamespace]);
      await ip(['-n', bridgeNamespace, 'link', 'add', bridge, 'type', 'bridge']);
      await ip(['-n', bridgeNamespace, 'link', 'set', bridge, 'up']);
      for (const [index, host] of hosts.entries()) await network.addHost(host, `p${index}`);
    } catch (error) {
      await network.destroy();
      throw error;
    }
    return network;
  }

  private async addHost(host: NetworkHost, port: string): Promise<void> {
    await ip(['netns', 'add', host.namespace]);
    await ip(['-n', this.bridgeNamespace, 'link', 'add', port, 'type', 'veth', 'peer', 'name', hostDevice, 'netns', host.namespace]);
    await ip(['-n', this.bridgeNamespace, 'link', 'set', port, 'master', bridge]);
    await ip(['-n', this.bridgeNamespace, 'link', 'set', port, 'up']);
    await ip(['-n', host.namespace, 'addr', 'add', `${host.address}/16`, 'dev', hostDevice]);
    await ip(['-n', host.namespace, 'link', 'set', hostDevice, 'up']);
    await ip(['-n', host.namespace, 'link', 'set', 'lo', 'up']);
    if (host.upMbit !== undefined) await tc(tbfArgs(host.namespace, hostDevice, host.upMbit));
    if (host.downMbit !== undefined) await tc(tbfArgs(this.bridgeNamespace, port, host.downMbit));
  }

  get hosts(): NetworkHost[] {
    return [...this.hostsByName.values()];
  }

  host(name: string): NetworkHost {
    const host = this.hostsByName.get(name);
    if (!host) throw new RangeError(`no host '${name}' in this network (hosts: ${[...this.hostsByName.keys()].join(', ')})`);
    return host;
  }

  /** The command line that runs `command` inside the host's namespace (`ip netns exec` execs it: same PID). */
  invocation(hostName: string, command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'ip', args: ['netns', 'exec', this.host(hostName).namespace, command, ...args] };
  }

  /** Runs a command to completion inside the host. */
  exec(hostName: string, command: string, args: readonly string[], options: { timeoutMs: number; allowFailure?: boolean } = { timeoutMs: 60_000 }): Promise<ToolResult> {
    const wrapped = this.invocation(hostName, command, args);
    return runTool(wrapped.command, wrapped.args, options);
  }

  /** Starts a long-running process inside the host; stop it by its handle (PID). */
  spawn(hostName: string, label: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ManagedProcess> {
    const wrapped = this.invocation(hostName, command, args);
    return ManagedProcess.start(label, wrapped.command, wrapped.args, options);
  }

  /** Kernel byte counters of the host's interface. */
  async linkBytes(hostName: string): Promise<LinkBytes> {
    const output = await ip(['-n', this.host(hostName).namespace, '-s', '-j', 'link', 'show', hostDevice]);
    const [link] = JSON.parse(output) as { stats64: { tx: { bytes: number }; rx: { bytes: number } } }[];
    return { txBytes: link.stats64.tx.bytes, rxBytes: link.stats64.rx.bytes };
  }

  /**
   * A TCP relay inside `hostName` that listens on its address and forwards to target, adding `delayMs`
   * one way in each direction (so about 2·delayMs to a round trip): latency without netem.
   */
  async startRelay(hostName: string, options: { listenPort?: number; targetHost: string; targetPort: number; delayMs: number }): Promise<Relay> {
    const host = this.host(hostName);
    const config = { listenHost: host.address, listenPort: options.listenPort ?? 0, targetHost: options.targetHost, targetPort: options.targetPort, delayMs: options.delayMs };
    const child = await this.spawn(hostName, `relay in ${hostName}`, process.execPath, [netnsScript('delay-relay.js'), JSON.stringify(config)]);
    this.relays.add(child);
    const port = await new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.child.stdout });
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event: string; port?: number; message?: string };
        if (event.event === 'listening') resolve(event.port!);
        else if (event.event === 'error') reject(new Error(`relay in ${hostName}: ${event.message}`));
      });
      void child.exited.then(() => reject(new Error(child.describeExit())));
    }).catch(async (error: unknown) => {
      await child.stop();
      throw error;
    });
    return {
      host: hostName,
      address: host.address,
      port,
      pid: child.pid,
      stop: async () => {
        this.relays.delete(child);
        await child.stop();
      },
    };
  }

  /** PIDs of processes still running inside the network's namespaces. */
  async pidsInside(): Promise<number[]> {
    const pids: number[] = [];
    for (const namespace of [this.bridgeNamespace, ...this.hosts.map((host) => host.namespace)]) {
      const output = await runTool('ip', ['netns', 'pids', namespace], { timeoutMs: 15_000, allowFailure: true });
      pids.push(...output.stdout.split('\n').filter(Boolean).map(Number));
    }
    return pids;
  }

  /**
   * Stops the relays, kills (by PID) anything still running inside the namespaces (only processes started
   * there), and deletes the namespaces, which removes their veths, bridge and qdiscs with them.
   */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    for (const relay of [...this.relays]) await relay.stop().catch(() => undefined);
    this.relays.clear();
    this.destroySync();
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    const namespaces = [...this.hosts.map((host) => host.namespace), this.bridgeNamespace];
    for (const namespace of namespaces) killInside(namespace);
    for (const namespace of namespaces) ipSync(['netns', 'del', namespace]);
    this.unregister?.();
    this.unregister = undefined;
  }
}

/** SIGKILLs every process in a namespace this code created (they were started there by us). */
export function killInside(namespace: string): void {
  for (const pid of ipSync(['netns', 'pids', namespace]).split('\n').filter(Boolean).map(Number)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function createTestNetwork(options: TestNetworkOptions): Promise<TestNetwork> {
  return TestNetwork.create(options);
}
