import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type ManagedProcess, readProcessStats, sha256File, type TestNetwork, waitFor } from '@seedfleet/testing';
import { repoRoot } from '../lib/repo-root';
import { firstJsonEvent } from './line-process';
import { type CliFeatures, launchHttp, launchLibtorrent, launchOurs, type Member } from './members';
import type { ScenarioId, SwarmKind } from './swarm-args';
import { type SwarmDataset, withUrls } from './swarm-dataset';
import { minimumSeconds, percentile, type SwarmLinks } from './swarm-metrics';

/** The hosts of a swarm network: which one plays what. */
export interface SwarmTopology {
  readonly network: TestNetwork;
  readonly links: SwarmLinks;
  readonly agentHosts: readonly string[];
  /** Host names of agents that come and go (S8 churn); empty otherwise. */
  readonly churnHosts: readonly string[];
  /** A host for S8's corrupting peer; undefined in other scenarios. */
  readonly corrupterHost?: string;
  /** Where the tracker and web seed are reached (a delaying relay in S8; the hosts themselves otherwise). */
  readonly trackerUrl: string;
  readonly webSeedUrl: string;
}

export interface AgentResult {
  readonly host: string;
  readonly seconds?: number;
  readonly failure?: string;
  readonly cpuSeconds?: number;
  readonly peakRssMiB?: number;
  readonly webSeedBytes?: number;
  readonly sha256Ok?: boolean;
  /** [seconds since the agents started, verified bytes, uploaded bytes], about every 2 s. */
  readonly timeline?: readonly (readonly [number, number, number])[];
}

export interface SwarmRunResult {
  readonly scenario: ScenarioId;
  readonly kind: SwarmKind;
  readonly n: number;
  readonly rep: number;
  readonly fileBytes: number;
  readonly agents: readonly AgentResult[];
  readonly tMinSeconds: number;
  /** Σu_i of the agents, bytes per second. */
  readonly agentUpBytesPerSecond?: number;
  readonly tAllSeconds?: number;
  readonly eta?: number;
  readonly p50Seconds?: number;
  readonly p90Seconds?: number;
  /** Payload bytes the origin sent: web seed (HTTP server counter) + origin peer (its upload counter). */
  readonly originBytes: number;
  readonly originPeerBytes: number;
  readonly webSeedBytes: number;
  /** The origin host's interface tx bytes over the run (kernel counter, headers included): a cross-check. */
  readonly originLinkTxBytes: number;
  readonly rangeRequests: number;
  readonly rangeBytesAsked: number;
  readonly httpRequests: number;
  /** S8: what the corrupting peer managed per downloader (pieces poisoned, garbage bytes, how long it was talked to). */
  readonly corrupter?: CorrupterSummary;
  /** Range requests as [seconds since the agents started, MiB asked]: when agents turned to the web seed. */
  readonly rangeTimeline: readonly (readonly [number, number])[];
  readonly failures: readonly string[];
  /** The commit and `get` flags this result was measured with (set by run.ts). */
  readonly build?: { readonly commit: string; readonly cliFlags: string; readonly date: string };
}

export interface CorrupterSummary {
  /** Downloaders that connected to it. */
  readonly victims: number;
  /** Most distinct pieces it sent garbage for to one downloader (QUALITY.md S8: banned before 5). */
  readonly maxPiecesPerVictim: number;
  /** Garbage bytes it sent, all downloaders together (wasted download). */
  readonly garbageBytes: number;
  /** Longest time one downloader kept talking to it (first connect to last message): the time to ban. */
  readonly maxContactSeconds: number;
}

interface CorrupterStats {
  readonly remotes: Record<string, { bytes: number; pieces: number; connections: number; firstAt: number; lastSeenAt: number }>;
}

export interface RunContext {
  readonly topology: SwarmTopology;
  readonly dataset: SwarmDataset;
  readonly scenario: ScenarioId;
  readonly kind: SwarmKind;
  readonly rep: number;
  readonly workDir: string;
  readonly features: CliFeatures;
  /** Extra `seedfleet get` flags for our agents. */
  readonly agentFlags: readonly string[];
  readonly log: (line: string) => void;
}

const peerPort = 6881;
const trackerPort = 6969;
export const webSeedPort = 8080;

interface OriginStats {
  readonly requests: number;
  readonly rangeRequests: number;
  readonly bytesServed: number;
  readonly rangeBytesAsked: number;
  readonly rangeLog: readonly (readonly [number, number])[];
}

async function startOriginServer(network: TestNetwork, root: string): Promise<{ process: ManagedProcess; stats: () => Promise<OriginStats> }> {
  const script = join(__dirname, 'origin-server.js');
  const child = await network.spawn('origin', 'origin web seed', process.execPath, [script, JSON.stringify({ host: network.host('origin').address, port: webSeedPort, root })]);
  await firstJsonEvent(child, (event) => event.event === 'listening');
  return {
    process: child,
    stats: async () => {
      const answer = firstJsonEvent(child, (event) => event.event === 'stats');
      child.child.stdin.write('stats\n');
      return (await answer) as unknown as OriginStats;
    },
  };
}

/** `seedfleet tracker --open` in the tracker host (it starts a redis-server of its own there). */
async function startTracker(network: TestNetwork): Promise<ManagedProcess> {
  const address = network.host('tracker').address;
  const cli = join(repoRoot(), 'bin', 'seedfleet.js');
  const args = [cli, 'tracker', '--open', '--host', address, '--port', String(trackerPort), '--no-udp', '--interval', '20', '--min-interval', '5'];
  const child = await network.spawn('tracker', 'seedfleet tracker', process.execPath, args);
  await waitFor(
    'the tracker to answer',
    async () => {
      const result = await network.exec('tracker', 'curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://${address}:${trackerPort}/scrape?info_hash=aaaaaaaaaaaaaaaaaaaa`], { timeoutMs: 5000, allowFailure: true });
      return result.stdout.trim() === '200' || undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200, abortIf: () => (child.running ? undefined : new Error(child.describeExit())) },
  );
  return child;
}

/** S8's corrupting peer (corrupt-peer.ts) in its own host, announced to the run's tracker as a seeder. */
async function startCorrupter(network: TestNetwork, host: string, dataset: SwarmDataset, trackerUrl: string): Promise<{ process: ManagedProcess; summary: () => Promise<CorrupterSummary> }> {
  const config = { host: network.host(host).address, port: peerPort, infoHash: dataset.infoHash, pieceCount: Math.ceil(dataset.sizeBytes / dataset.pieceLength), trackerUrl };
  const child = await network.spawn(host, 'corrupting peer', process.execPath, [join(__dirname, 'corrupt-peer.js'), JSON.stringify(config)]);
  await firstJsonEvent(child, (event) => event.event === 'listening');
  return {
    process: child,
    summary: async () => {
      const answer = firstJsonEvent(child, (event) => event.event === 'stats');
      child.child.stdin.write('stats\n');
      const remotes = Object.values(((await answer) as unknown as CorrupterStats).remotes);
      return {
        victims: remotes.length,
        maxPiecesPerVictim: Math.max(0, ...remotes.map((remote) => remote.pieces)),
        garbageBytes: remotes.reduce((sum, remote) => sum + remote.bytes, 0),
        maxContactSeconds: Math.max(0, ...remotes.map((remote) => (remote.lastSeenAt - remote.firstAt) / 1000)),
      };
    },
  };
}

export function trackerAddress(network: TestNetwork): string {
  return `http://${network.host('tracker').address}:${trackerPort}/announce`;
}

export function webSeedAddress(network: TestNetwork): string {
  return `http://${network.host('origin').address}:${webSeedPort}`;
}

/**
 * One swarm of one kind: the tracker and web seed start, the origin peer (S1, S8) starts seeding, then
 * every agent starts at once and the clock runs until each has verified every byte. S8 stops a quarter of
 * the agents a third of the way in and restarts them 5 s later. Everything is stopped at the end.
 */
export async function runSwarm(context: RunContext): Promise<SwarmRunResult> {
  const { topology, dataset, kind } = context;
  const { network } = topology;
  const n = topology.agentHosts.length;
  const fileBytes = dataset.sizeBytes;
  const tMinSeconds = minimumSeconds(fileBytes, topology.links);
  const timeoutMs = Math.max(120_000, tMinSeconds * 8 * 1000);
  const runDir = join(context.workDir, `${context.scenario}-${kind}-n${n}-${context.rep}`);
  await rm(runDir, { recursive: true, force: true });
  await mkdir(runDir, { recursive: true });
  const failures: string[] = [];
  const processes: { stop(): Promise<unknown> }[] = [];
  const members = new Map<string, Member>();
  let origin: Member | undefined;
  try {
    const server = await startOriginServer(network, dataset.directory);
    processes.push(server.process);
    let torrentPath = '';
    if (kind !== 'http') {
      processes.push(await startTracker(network));
      torrentPath = await withUrls(dataset, join(runDir, 'swarm.torrent'), { tracker: topology.trackerUrl, webSeeds: [`${topology.webSeedUrl}/${dataset.name}`] });
      if (context.scenario !== 'S3') {
        const launch = { network, host: 'origin', torrentPath, directory: dataset.directory, role: 'seed' as const, port: peerPort };
        origin = kind === 'lt' ? await launchLibtorrent(launch) : await launchOurs(launch, context.features, { superSeed: kind === 'ours-egress' });
        processes.push(origin);
        await origin.seeding;
      }
    }
    let corrupter: ((() => Promise<CorrupterSummary>) | undefined) = undefined;
    if (topology.corrupterHost && kind !== 'http') {
      const started = await startCorrupter(network, topology.corrupterHost, dataset, topology.trackerUrl);
      processes.push(started.process);
      corrupter = started.summary;
    }
    const linkBefore = await network.linkBytes('origin');
    const launchAgent = (host: string): Promise<Member> => {
      const directory = join(runDir, host);
      if (kind === 'http') return mkdir(directory, { recursive: true }).then(() => launchHttp({ network, host, url: `${topology.webSeedUrl}/${dataset.name}`, output: join(directory, dataset.name) }));
      const launch = { network, host, torrentPath, directory, role: 'download' as const, port: peerPort };
      return kind === 'lt' ? launchLibtorrent(launch) : launchOurs(launch, context.features, undefined, context.agentFlags);
    };
    const startedAt = performance.now();
    const startedAtWall = Date.now();
    await Promise.all(topology.agentHosts.map(async (host) => members.set(host, await launchAgent(host))));
    const churn = kind === 'http' ? undefined : churnAgents(context, members, launchAgent, tMinSeconds);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([allDone(members), deadline]);
    await churn;
    const stats = await server.stats();
    const corrupterSummary = await corrupter?.();
    const linkAfter = await network.linkBytes('origin');
    const agents: AgentResult[] = [];
    for (const host of topology.agentHosts) {
      const member = members.get(host)!;
      const usage = await readProcessStats(member.pid).catch(() => undefined);
      const seconds = member.completedAt === undefined ? undefined : (member.completedAt - startedAt) / 1000;
      const failure = member.failure ?? (seconds === undefined ? `not complete after ${timeoutMs / 1000} s` : undefined);
      if (failure) failures.push(`${host}: ${failure.slice(0, 300)}`);
      const timeline = member.timeline.map(([at, downloaded, uploaded]) => [Math.round(at - startedAt) / 1000, downloaded, uploaded] as const);
      agents.push({ host, seconds, failure, cpuSeconds: usage?.cpuSeconds, peakRssMiB: usage ? usage.peakRssBytes / 2 ** 20 : undefined, webSeedBytes: member.webSeedDownloaded(), timeline });
    }
    const originPeerBytes = origin?.uploaded() ?? 0;
    for (const member of [...members.values()]) await member.stop();
    for (const [index, agent] of agents.entries()) {
      if (agent.seconds === undefined) continue;
      const ok = (await sha256File(join(runDir, agent.host, dataset.name)).catch(() => '')) === dataset.sha256;
      agents[index] = { ...agent, sha256Ok: ok };
      if (!ok) failures.push(`${agent.host}: content differs from the source (SHA-256)`);
    }
    const times = agents.map((agent) => agent.seconds).filter((seconds): seconds is number => seconds !== undefined);
    const allComplete = times.length === n;
    const tAllSeconds = allComplete ? Math.max(...times) : undefined;
    return {
      scenario: context.scenario,
      kind,
      n,
      rep: context.rep,
      fileBytes,
      agents,
      tMinSeconds,
      agentUpBytesPerSecond: topology.links.agents.reduce((sum, agent) => sum + (agent.upMbit * 1e6) / 8, 0),
      tAllSeconds,
      eta: tAllSeconds ? tMinSeconds / tAllSeconds : undefined,
      p50Seconds: times.length > 0 ? percentile(times, 0.5) : undefined,
      p90Seconds: times.length > 0 ? percentile(times, 0.9) : undefined,
      originBytes: stats.bytesServed + originPeerBytes,
      originPeerBytes,
      webSeedBytes: stats.bytesServed,
      originLinkTxBytes: linkAfter.txBytes - linkBefore.txBytes,
      rangeRequests: stats.rangeRequests,
      rangeBytesAsked: stats.rangeBytesAsked,
      httpRequests: stats.requests,
      corrupter: corrupterSummary,
      rangeTimeline: stats.rangeLog.map(([at, bytes]) => [Math.round(at - startedAtWall) / 1000, Math.round((bytes / 2 ** 20) * 100) / 100] as const),
      failures,
    };
  } finally {
    for (const member of members.values()) await member.stop().catch(() => undefined);
    for (const process of processes.reverse()) await process.stop().catch(() => undefined);
    await rm(runDir, { recursive: true, force: true });
  }
}

function allDone(members: Map<string, Member>): Promise<void> {
  // Re-read the map each round: churn replaces members.
  return (async () => {
    for (;;) {
      const current = [...members.values()];
      await Promise.all(current.map((member) => member.done));
      if ([...members.values()].every((member, index) => member === current[index])) return;
    }
  })();
}

/** S8: a third of T_min in, the churn hosts leave (SIGTERM, resume data kept) and rejoin 5 s later. */
async function churnAgents(context: RunContext, members: Map<string, Member>, launch: (host: string) => Promise<Member>, tMinSeconds: number): Promise<void> {
  const hosts = context.topology.churnHosts;
  if (hosts.length === 0) return;
  await new Promise((resolve) => setTimeout(resolve, (tMinSeconds / 3) * 1000));
  const leaving = hosts.filter((host) => members.get(host)?.completedAt === undefined);
  context.log(`  churn: ${leaving.join(', ')} leave`);
  await Promise.all(leaving.map((host) => members.get(host)!.stop()));
  await new Promise((resolve) => setTimeout(resolve, 5000));
  context.log(`  churn: ${leaving.join(', ')} rejoin`);
  await Promise.all(leaving.map(async (host) => members.set(host, await launch(host))));
}
