import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { readProcessStats } from '@seedfleet/testing';
import { builtCheckout, CLI_ENTRY } from '../lib/checkout';
import { repoRoot } from '../lib/repo-root';
import { gitCommit } from '../lib/git-commit';
import { capProcessCpu } from './cpu-cap';
import { type LoadStep, runLoad } from './load';
import { renderTrackerMarkdown, type TargetRuns, type TrackerBenchReport, type TrackerSample } from './report';
import { installBittorrentTracker, type RunningTarget, startBenchRedis, startBittorrentTracker, startOpentrackerTarget, startOurTrackers, startStaticReplyServer } from './targets';
import { parseTrackerArgs, type TargetId, TRACKER_BENCH_USAGE } from './tracker-args';

const PEERS = 100_000;
const INFO_HASHES = 10;
const P99_LIMIT_MS = 50;
const BITTORRENT_TRACKER_VERSION = '11.2.3';

async function main(): Promise<void> {
  const args = parseTrackerArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${TRACKER_BENCH_USAGE}\n`);
    return;
  }
  const root = repoRoot();
  if (args.render) {
    // Only the markdown again, from the JSON of an earlier run (after a change to the report's layout).
    const report = JSON.parse(await readFile(args.render, 'utf8')) as TrackerBenchReport;
    await writeFile(join(dirname(args.render), 'tracker.md'), `${renderTrackerMarkdown(report)}\n`);
    return;
  }
  const baseline = args.baseline === undefined ? undefined : builtCheckout(args.baseline, [CLI_ENTRY]);
  if (baseline?.unavailable) throw new Error(`--baseline: ${baseline.unavailable}`);
  const { levels, durationMs, warmupMs } = args;
  const threads = 2;
  const infoHashes = Array.from({ length: INFO_HASHES }, (_, index) => createHash('sha1').update(`seedfleet bench tracker ${index}`).digest('hex'));
  const loadAtStart = loadavg()[0];

  const stops: (() => Promise<void>)[] = [];
  const redis = await startBenchRedis();
  stops.push(redis.stop);
  try {
    const keyPrefix = `bench:tracker:${randomBytes(4).toString('hex')}:`;
    const wanted = new Set(args.targets);
    const targets = new Map<TargetId, RunningTarget | { unavailable: string }>();
    if (wanted.has('ours') || wanted.has('ours ×2')) {
      const ours = await startOurTrackers({ cli: args.cli ?? join(root, 'bin', 'seedfleet.js'), nodeOptions: args.trackerNodeOptions, redisUrl: redis.url, keyPrefix, replicas: wanted.has('ours ×2') ? 2 : 1 });
      stops.unshift(ours.stop);
      await capReplicas(ours.pids, 'ours', args.replicaCpu, stops);
      targets.set('ours', { ...ours, endpoints: ours.endpoints.slice(0, 1), pids: ours.pids.slice(0, 1) });
      targets.set('ours ×2', ours);
    }
    if (wanted.has('base')) {
      // Same Redis and key prefix: the same swarms, whichever build announces to them.
      const base = await startOurTrackers({ cli: baseline!.cli, nodeOptions: args.trackerNodeOptions, redisUrl: redis.url, keyPrefix, replicas: 1 });
      stops.unshift(base.stop);
      await capReplicas(base.pids, 'base', args.replicaCpu, stops);
      targets.set('base', base);
    }
    if (wanted.has('opentracker')) {
      const opentracker = await startOpentrackerTarget(infoHashes).catch((error: Error) => ({ unavailable: `opentracker: ${error.message}` }));
      if ('stop' in opentracker) stops.unshift(opentracker.stop);
      targets.set('opentracker', opentracker);
    }
    if (wanted.has('bittorrent-tracker')) {
      const btModule = await installBittorrentTracker(join(root, 'bench', '.cache'), BITTORRENT_TRACKER_VERSION);
      const bt = typeof btModule === 'string' ? await startBittorrentTracker(join(__dirname, 'bittorrent-tracker-server.js'), btModule).catch((error: Error) => ({ unavailable: error.message })) : btModule;
      if ('stop' in bt) stops.unshift(bt.stop);
      targets.set('bittorrent-tracker', bt);
    }
    if (wanted.has('static reply')) {
      const floor = await startStaticReplyServer(join(__dirname, 'static-reply-server.js'));
      stops.unshift(floor.stop);
      targets.set('static reply', floor);
    }

    const runs: TargetRuns[] = args.targets.map((id) => {
      const target = targets.get(id)!;
      return { id, samples: [], skipped: 'unavailable' in target ? target.unavailable : undefined };
    });
    for (const run of runs) if (run.skipped) process.stderr.write(`skipping ${run.id}: ${run.skipped}\n`);

    // Every peer announces once to every tracker (ours and base: one Redis, so once), so swarms hold 10k peers each.
    const redisFiller = targets.has('ours') ? 'ours' : 'base';
    for (const id of [redisFiller, 'opentracker', 'bittorrent-tracker'] as const) {
      const target = targets.get(id);
      if (!target || 'unavailable' in target) continue;
      const fill = await runLoad({ endpoints: target.endpoints, keepAlive: target.keepAlive, infoHashes, peers: PEERS, threads, connections: 32, warmupMs: 0, durationMs: 600_000, fill: true });
      process.stderr.write(`filled ${id} with ${fill.answered} peers (${fill.errors} errors${fill.firstError ? `: ${fill.firstError}` : ''})\n`);
    }

    const runnable = runs.filter((run) => !run.skipped);
    for (let rep = 0; rep < args.reps; rep++) {
      for (const run of rotated(runnable, rep)) {
        const target = targets.get(run.id as TargetId) as RunningTarget;
        const steps: TrackerSample['steps'] = [];
        for (const connections of levels) {
          const usesRedis = run.id.startsWith('ours') || run.id === 'base';
          const before = await measure(target, usesRedis ? redis : undefined);
          const step = await runLoad({ endpoints: target.endpoints, keepAlive: target.keepAlive, infoHashes, peers: PEERS, threads, connections, warmupMs, durationMs });
          const after = await measure(target, usesRedis ? redis : undefined);
          steps.push({ ...step, ...perAnnounce(before, after, step) });
          process.stderr.write(
            `rep ${rep + 1}/${args.reps} ${run.id} c=${connections}: ${step.announcesPerSecond.toFixed(0)}/s p50 ${step.p50Ms.toFixed(1)} ms p99 ${step.p99Ms.toFixed(1)} ms, ${step.errors} errors${step.firstError && step.errors > 0 ? ` (${step.firstError})` : ''}\n`,
          );
        }
        run.samples.push({ steps, best: bestWithin(steps) });
      }
    }

    const report: TrackerBenchReport = {
      date: new Date().toISOString(),
      commit: gitCommit(root),
      baselineCommit: baseline?.commit,
      quick: args.quick,
      reps: args.reps,
      peers: PEERS,
      infoHashes: INFO_HASHES,
      p99LimitMs: P99_LIMIT_MS,
      levels,
      durationMs,
      warmupMs,
      threads,
      cpu: `${cpus().length} × ${cpus()[0]?.model.trim().split(' ').slice(0, 2).join(' ') ?? 'unknown'}`,
      cores: cpus().length,
      replicaCpu: args.replicaCpu,
      node: process.version,
      kernel: release(),
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
      bittorrentTrackerVersion: BITTORRENT_TRACKER_VERSION,
      runs,
    };
    const markdown = renderTrackerMarkdown(report);
    process.stdout.write(`${markdown}\n`);
    const results = args.outDir ?? join(root, 'bench', 'results');
    await mkdir(results, { recursive: true });
    await writeFile(join(results, 'tracker.md'), `${markdown}\n`);
    await writeFile(join(results, 'tracker.json'), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

interface Snapshot {
  readonly cpuSeconds: number;
  /** This process: the load generator's threads (the main thread only waits meanwhile). */
  readonly generatorCpuSeconds: number;
  readonly redisCpuSeconds: number;
  readonly commands?: Map<string, number>;
}

async function measure(target: RunningTarget, redis: { pid: number; commandStats(): Promise<Map<string, number>> } | undefined): Promise<Snapshot> {
  const stats = await Promise.all(target.pids.map((pid) => readProcessStats(pid)));
  const generator = process.cpuUsage();
  return {
    cpuSeconds: stats.reduce((sum, stat) => sum + stat.cpuSeconds, 0),
    generatorCpuSeconds: (generator.user + generator.system) / 1e6,
    redisCpuSeconds: redis ? (await readProcessStats(redis.pid)).cpuSeconds : 0,
    commands: redis ? await redis.commandStats() : undefined,
  };
}

/** Tracker (and Redis) CPU and Redis calls per announce over one step, warm-up included on both sides. */
function perAnnounce(before: Snapshot, after: Snapshot, step: LoadStep): Pick<TrackerSample['steps'][number], 'cpuMsPerKAnnounces' | 'generatorCpuMsPerKAnnounces' | 'redisCpuMsPerKAnnounces' | 'evalshaPerAnnounce' | 'redisCommandsPerAnnounce'> {
  const answered = Math.max(1, step.answered);
  const delta = (name?: string): number => {
    let sum = 0;
    for (const [command, calls] of after.commands ?? []) {
      if (name !== undefined && command !== name) continue;
      if (name === undefined && (command === 'info' || command === 'ping')) continue;
      sum += calls - (before.commands?.get(command) ?? 0);
    }
    return sum;
  };
  return {
    cpuMsPerKAnnounces: ((after.cpuSeconds - before.cpuSeconds) * 1e6) / answered,
    generatorCpuMsPerKAnnounces: ((after.generatorCpuSeconds - before.generatorCpuSeconds) * 1e6) / answered,
    redisCpuMsPerKAnnounces: after.commands ? ((after.redisCpuSeconds - before.redisCpuSeconds) * 1e6) / answered : undefined,
    evalshaPerAnnounce: after.commands ? delta('evalsha') / answered : undefined,
    redisCommandsPerAnnounce: after.commands ? delta() / answered : undefined,
  };
}

/** The highest rate among steps with p99 under the limit and no errors (undefined when none qualifies). */
function bestWithin(steps: readonly LoadStep[]): LoadStep | undefined {
  return steps.filter((step) => step.errors === 0 && step.p99Ms < P99_LIMIT_MS).sort((a, b) => b.announcesPerSecond - a.announcesPerSecond)[0];
}

function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:tracker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

/** With --replica-cpu: each tracker process in a CPU-capped cgroup, released after the processes stop. */
async function capReplicas(pids: readonly number[], label: string, cpus: number | undefined, stops: (() => Promise<void>)[]): Promise<void> {
  if (cpus === undefined) return;
  for (const pid of pids) {
    const cap = await capProcessCpu(pid, cpus, label);
    stops.push(cap.release);
  }
}
