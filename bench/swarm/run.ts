import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { cleanupStaleNetworks } from '@seedfleet/testing';
import { gitCommit } from '../lib/git-commit';
import { repoRoot } from '../lib/repo-root';
import { renderCdfSvg } from './cdf-chart';
import type { CliFeatures } from './members';
import { parseSwarmArgs, type SwarmBenchArgs, type SwarmKind } from './swarm-args';
import { prepareSwarmDataset } from './swarm-dataset';
import { kindColors, kindNames, renderSwarmMarkdown } from './swarm-report';
import { runSwarm, type SwarmRunResult } from './swarm-run';
import { buildTopology } from './topology';

const log = (line: string): boolean => process.stderr.write(`${line}\n`);

/** Which optional `seedfleet get` flags this build has (web-seed policy and discovery switches land in other issues). */
function probeCliFeatures(root: string): CliFeatures {
  const help = execFileSync(process.execPath, [join(root, 'bin', 'seedfleet.js'), 'get', '--help'], { encoding: 'utf8' });
  const seedHelp = execFileSync(process.execPath, [join(root, 'bin', 'seedfleet.js'), 'seed', '--help'], { encoding: 'utf8' });
  return { origin: help.includes('--origin'), noDht: help.includes('--no-dht'), noLsd: help.includes('--no-lsd'), superSeed: seedHelp.includes('--super-seed'), choking: help.includes('--choking') };
}

/** --merge: the results of an earlier invocation for the scenario/N/kind groups this one did not measure. */
async function earlierResults(outDir: string, measured: readonly SwarmRunResult[]): Promise<SwarmRunResult[]> {
  const file = join(outDir, 'swarm.json');
  if (!existsSync(file)) return [];
  const earlier = JSON.parse(await readFile(file, 'utf8')) as { args: SwarmBenchArgs; results: SwarmRunResult[] };
  const key = (result: SwarmRunResult): string => `${result.scenario} ${result.n} ${result.kind}`;
  const remeasured = new Set(measured.map(key));
  // Results written before agentUpBytesPerSecond was recorded: every agent had that run's --agent-up (S1, S3).
  const agentUp = (result: SwarmRunResult): number | undefined => (result.scenario === 'S8' ? undefined : (result.n * earlier.args.agentUpMbit * 1e6) / 8);
  return earlier.results
    .filter((result) => !remeasured.has(key(result)))
    .map((result) => ({ ...result, agentUpBytesPerSecond: result.agentUpBytesPerSecond ?? agentUp(result) }));
}

function cliFlagsText(features: CliFeatures): string {
  return `--seed --json-progress${features.origin ? ' --origin fallback' : ' (no --origin flag in this build: web seed per the engine default)'}${features.choking ? ' --choking cooperative' : ''}${features.noDht ? ' --no-dht' : ''}${features.noLsd ? ' --no-lsd' : ''}; origin: seed${features.choking ? ' --choking cooperative' : ''} (seedfleet), the same with --super-seed (seedfleet, super-seeding origin)${features.superSeed ? '' : ' (no --super-seed in this build)'}`;
}

function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

async function runAll(args: SwarmBenchArgs, root: string, features: CliFeatures): Promise<SwarmRunResult[]> {
  const dataRoot = join(root, 'bench', '.data');
  await mkdir(dataRoot, { recursive: true });
  await writeFile(join(dataRoot, '.gitignore'), '*\n');
  log(`preparing ${args.sizeBytes} bytes ...`);
  const dataset = await prepareSwarmDataset(dataRoot, args.sizeBytes);
  const workDir = join(dataRoot, `swarm-run-${process.pid}`);
  const results: SwarmRunResult[] = [];
  let turn = 0;
  for (const scenario of args.scenarios) {
    for (const n of args.sizes) {
      const topology = await buildTopology(scenario, n, args);
      try {
        for (let rep = 1; rep <= args.reps; rep++) {
          // S3 is the web seed alone: HTTP-only downloads are the same in S1 and S3, run once (in S1) unless asked alone.
          const kinds: SwarmKind[] = args.kinds.filter((kind) => !(scenario === 'S3' && kind === 'http' && args.scenarios.includes('S1')));
          for (const kind of rotated(kinds, turn++)) {
            log(`${scenario} N=${n} ${kind} rep ${rep}/${args.reps} ...`);
            const result = await runSwarm({ topology, dataset, scenario, kind, rep, workDir, features, agentFlags: args.agentFlags, log });
            results.push(result);
            const mibOf = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
            log(
              `  T_all ${result.tAllSeconds?.toFixed(1) ?? '–'} s (T_min ${result.tMinSeconds.toFixed(1)}), η ${result.eta?.toFixed(2) ?? '–'}, ` +
                `origin ${mibOf(result.originBytes)} MiB = ${(result.originBytes / result.fileBytes).toFixed(2)}·F (peer ${mibOf(result.originPeerBytes)}, web seed ${mibOf(result.webSeedBytes)}, link ${mibOf(result.originLinkTxBytes)})` +
                `${result.failures.length > 0 ? `; FAILURES: ${result.failures.join(' | ')}` : ''}`,
            );
          }
        }
      } finally {
        await topology.network.destroy();
      }
    }
  }
  return results;
}

async function main(): Promise<void> {
  const args = parseSwarmArgs(process.argv.slice(2));
  if (args.cleanup) {
    const removed = await cleanupStaleNetworks();
    log(removed.length > 0 ? `removed ${removed.length} stale namespaces: ${removed.join(', ')}` : 'no stale test namespaces');
    return;
  }
  const root = repoRoot();
  const features = probeCliFeatures(root);
  const outDir = args.outDir ?? (args.quick ? join(root, 'bench', '.data', 'swarm-quick-results') : join(root, 'bench', 'results'));
  // Recorded per result: --merge mixes invocations, and other issues keep adding `get` flags.
  const build = { commit: gitCommit(root, ['libs', 'apps', 'bench']), cliFlags: `${cliFlagsText(features)}${args.agentFlags.length > 0 ? `; agents also ${args.agentFlags.join(' ')}` : ''}`, date: new Date().toISOString() };
  const measured = (await runAll(args, root, features)).map((result) => ({ ...result, build }));
  const order = (result: SwarmRunResult): string => `${result.scenario} ${String(result.n).padStart(4, '0')}`;
  const results = (args.merge ? [...(await earlierResults(outDir, measured)), ...measured] : measured).sort((a, b) => order(a).localeCompare(order(b)));
  await mkdir(outDir, { recursive: true });
  const charts: { file: string; title: string }[] = [];
  const groups = [...new Set(results.map((result) => `${result.scenario} ${result.n}`))].map((key) => key.split(' '));
  for (const [scenario, nText] of groups) {
    const n = Number(nText);
    {
      const group = results.filter((result) => result.scenario === scenario && result.n === n && result.rep === 1);
      if (group.length === 0) continue;
      const title = `${scenario}, N = ${n}, ${(group[0].fileBytes / 2 ** 20).toFixed(0)} MiB: completion-time CDF`;
      const series = group.map((result) => ({
        label: kindNames[result.kind],
        color: kindColors[result.kind],
        seconds: result.agents.map((agent) => agent.seconds).filter((value): value is number => value !== undefined),
        total: result.n,
      }));
      const file = `swarm-${scenario}-n${n}.svg`;
      await writeFile(join(outDir, file), renderCdfSvg(title, series, group[0].tMinSeconds));
      charts.push({ file, title });
    }
  }
  const environment = {
    date: new Date().toISOString(),
    commit: `${build.commit} (this invocation; merged results keep theirs in swarm.json)`,
    payload: `${[...new Set(results.map((result) => (result.fileBytes / 2 ** 20).toFixed(0)))].join(' / ')} MiB, one file, v1 torrent made by libtorrent with the run's tracker and the origin's web seed (url-list)`,
    links: `origin up ${args.originUpMbit} Mbit/s; agents up ${args.agentUpMbit} / down ${args.agentDownMbit} Mbit/s (tbf on each namespace's veth and on its bridge port); tracker host unshaped`,
    repetitions: `${args.reps} per group (the rep column of swarm.json)`,
    'seedfleet get flags': `${build.cliFlags} (this invocation; each result in swarm.json records its own build)`,
    scenarios:
      'S1 = origin peer (seedfleet seed / libtorrent seed_mode) + origin web seed in the torrent; S3 = web seed only (no origin peer); HTTP only = curl of the whole file from the origin web seed; ' +
      'S8 = S1 + a quarter of the agents leave a third of T_min in and rejoin 5 s later (resume), the last agent uploads at 1 Mbit/s, the web seed behind a relay adding 25 ms each way (peer-to-peer paths have no added latency: netem is missing; the tracker is not relayed, since it would see every announce come from the relay); one corrupting peer (claims every piece, answers with random bytes) announced to the tracker',
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'} (shared with other work)`,
    node: process.version,
    kernel: release(),
    method:
      'every host is a network namespace on one bridge (libs/testing/src/netns); the clock starts when the agents are launched together and stops per agent when it has verified every byte ' +
      '(seedfleet: its completion notice; libtorrent: lt_peer.py complete line, 250 ms progress interval; HTTP: curl exit); agents keep seeding until all are done; every copy is SHA-256 checked; ' +
      'agent CPU = utime+stime over the whole run (seeding included), RSS = VmHWM (libtorrent maps files, so its figure includes page cache)',
  };
  await writeFile(join(outDir, 'swarm.md'), renderSwarmMarkdown(results, charts, environment));
  await writeFile(join(outDir, 'swarm.json'), JSON.stringify({ environment, args, results }, null, 2));
  process.stdout.write(`${JSON.stringify({ event: 'results', outDir, failures: results.flatMap((result) => result.failures) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
