import { markdownTable } from '../lib/markdown-table';
import { spread } from '../lib/stats';
import type { LoadStep } from './load';

export interface TrackerStep extends LoadStep {
  /** Tracker process CPU (all replicas) per 1000 announces answered. */
  readonly cpuMsPerKAnnounces: number;
  /** The load generator's CPU per 1000 announces (absent in reports from before it was measured). */
  readonly generatorCpuMsPerKAnnounces?: number;
  /** Ours only: Redis CPU per 1000 announces, EVALSHA calls and all commands (those inside the script too). */
  readonly redisCpuMsPerKAnnounces?: number;
  readonly evalshaPerAnnounce?: number;
  readonly redisCommandsPerAnnounce?: number;
}

export interface TrackerSample {
  readonly steps: TrackerStep[];
  /** The fastest step with p99 under the limit and no errors. */
  readonly best: LoadStep | undefined;
}

export interface TargetRuns {
  readonly id: string;
  readonly samples: TrackerSample[];
  readonly skipped?: string;
}

export interface TrackerBenchReport {
  readonly date: string;
  readonly commit: string;
  /** Set-up `base` (--baseline): the commit of that checkout. */
  readonly baselineCommit?: string;
  readonly quick: boolean;
  readonly reps: number;
  readonly peers: number;
  readonly infoHashes: number;
  readonly p99LimitMs: number;
  readonly levels: readonly number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly threads: number;
  readonly cpu: string;
  /** --replica-cpu: each of our tracker processes was capped at this many CPUs. */
  readonly replicaCpu?: number;
  /** Cores the machine has (older reports: read from `cpu`). */
  readonly cores?: number;
  readonly node: string;
  readonly kernel: string;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly bittorrentTrackerVersion: string;
  readonly runs: TargetRuns[];
}

const DESCRIPTIONS: Record<string, string> = {
  ours: '`seedfleet tracker --open --no-udp --min-interval 0` (libs/tracker: its own HTTP/1.1 server on node:net, one pipelined RESP connection to Redis), one process, Redis 7 of its own',
  'ours ×2': 'two such processes on the same Redis and key prefix; connections split between them',
  base: '`seedfleet tracker` as for ours, from another built checkout (--baseline), one process on the same Redis and swarms: an A/B of two builds in one run',
  opentracker: 'Debian opentracker (whitelist build, the 10 hashes listed), one process; it closes every connection after answering (no keep-alive), so the generator opens one connection per announce (a plain socket: opentracker leaves about half of the `Connection: close` requests of node:http unanswered)',
  'bittorrent-tracker': 'bittorrent-tracker (npm) Server, HTTP only, in memory, one process',
  'static reply': 'not a tracker: a node:net server answering every request with the same 50-peer answer, no parsing, no state (bench/tracker/static-reply-server.ts); the most any Node tracker could do here with this generator, i.e. the cost of the sockets alone',
};

function bestRates(run: TargetRuns): number[] {
  return run.samples.map((sample) => sample.best?.announcesPerSecond ?? 0);
}

function median(values: number[]): number | undefined {
  return values.length === 0 ? undefined : spread(values).median;
}

function format(values: number[], digits = 0): string {
  if (values.length === 0) return '—';
  const { median: mid, min, max } = spread(values);
  return `${mid.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
}

/** The fastest step of each repetition, whatever its latency. */
function peakRates(run: TargetRuns): number[] {
  return run.samples.map((sample) => Math.max(...sample.steps.map((step) => step.announcesPerSecond)));
}

/** Median CPU per announce of every process a set-up needs (tracker, Redis, generator), in µs. */
function cpuPerAnnounce(run: TargetRuns): { tracker: number; redis: number; generator: number } | undefined {
  const steps = run.samples.flatMap((sample) => sample.steps);
  const generator = steps.flatMap((step) => (step.generatorCpuMsPerKAnnounces === undefined ? [] : [step.generatorCpuMsPerKAnnounces]));
  if (run.skipped || steps.length === 0 || generator.length === 0) return undefined;
  const redis = steps.flatMap((step) => (step.redisCpuMsPerKAnnounces === undefined ? [] : [step.redisCpuMsPerKAnnounces]));
  return { tracker: median(steps.map((step) => step.cpuMsPerKAnnounces))!, redis: median(redis) ?? 0, generator: median(generator)! };
}

/** "ours 95 + 60 Redis + 40 generator = 195 µs → 10.3k/s": what the cores could sustain at that cost. */
function budgetLine(report: TrackerBenchReport, cores: number): string {
  const parts = report.runs.flatMap((run) => {
    const cost = cpuPerAnnounce(run);
    if (!cost) return [];
    const total = cost.tracker + cost.redis + cost.generator;
    const terms = [`${cost.tracker.toFixed(0)}`, ...(cost.redis > 0 ? [`${cost.redis.toFixed(0)} Redis`] : []), `${cost.generator.toFixed(0)} generator`];
    return [`${run.id} ${terms.join(' + ')} = ${total.toFixed(0)} µs → ${((cores * 1e6) / total / 1000).toFixed(1)}k/s`];
  });
  if (parts.length === 0) return '';
  return (
    `CPU per announce of all its processes (tracker + Redis + load generator, medians over all steps) and the rate ${cores} cores could sustain at that cost if nothing else ran: ` +
    `${parts.join('; ')}. 20k/s on ${cores} cores needs ≤ ${((cores * 1e6) / 20_000).toFixed(0)} µs per announce in all.`
  );
}

export function renderTrackerMarkdown(report: TrackerBenchReport): string {
  const cores = report.cores ?? (Number(/^(\d+) ×/.exec(report.cpu)?.[1]) || 2);
  const byId = new Map(report.runs.map((run) => [run.id, run]));
  const medianOf = (id: string): number | undefined => {
    const run = byId.get(id);
    return run && !run.skipped ? median(bestRates(run)) : undefined;
  };
  const oursMedian = medianOf('ours');
  const ratio = (value: number | undefined, reference: number | undefined): string =>
    value === undefined || reference === undefined || reference === 0 ? '—' : `${(value / reference).toFixed(2)}×`;
  const rows = report.runs.map((run) => {
    if (run.skipped) return [run.id, '0', `skipped: ${run.skipped}`, '', '', '', '', '', '', '', ''];
    const rates = bestRates(run);
    const best = run.samples.flatMap((sample) => (sample.best ? [sample.best] : []));
    // Costs per announce hardly depend on the load level: every step of every repetition counts.
    const steps = run.samples.flatMap((sample) => sample.steps);
    const redis = steps.filter((step) => step.evalshaPerAnnounce !== undefined);
    return [
      run.id,
      String(run.samples.length),
      format(rates),
      ratio(oursMedian, median(rates)),
      best.length > 0 ? `${format(best.map((step) => step.p99Ms), 1)} at ${format(best.map((step) => step.connections))}` : 'none under the limit',
      format(peakRates(run)),
      format(steps.map((step) => step.cpuMsPerKAnnounces)),
      format(steps.flatMap((step) => (step.generatorCpuMsPerKAnnounces === undefined ? [] : [step.generatorCpuMsPerKAnnounces]))),
      redis.length > 0 ? `${format(redis.map((step) => step.evalshaPerAnnounce!), 2)} / ${format(redis.map((step) => step.redisCommandsPerAnnounce!), 1)}` : '—',
      redis.length > 0 ? format(redis.map((step) => step.redisCpuMsPerKAnnounces!)) : '—',
      format(steps.map((step) => step.p50Ms), 1),
    ];
  });
  const detailRows = report.runs.flatMap((run) =>
    run.samples.flatMap((sample, rep) =>
      sample.steps.map((step) => [
        run.id,
        String(rep + 1),
        String(step.connections),
        step.announcesPerSecond.toFixed(0),
        step.p50Ms.toFixed(1),
        step.p99Ms.toFixed(1),
        String(step.errors),
        step.cpuMsPerKAnnounces.toFixed(0),
        step.generatorCpuMsPerKAnnounces?.toFixed(0) ?? '—',
      ]),
    ),
  );
  const ours = oursMedian ?? 0;
  const two = medianOf('ours ×2');
  const btMedian = medianOf('bittorrent-tracker');
  const otMedian = medianOf('opentracker');
  const verdict = (met: boolean): string => (met ? 'met' : 'not met');
  const peak = (id: string): number | undefined => {
    const run = byId.get(id);
    return run && !run.skipped ? median(peakRates(run)) : undefined;
  };
  return [
    '# S4 tracker benchmark: announces/s with p99 under 50 ms and no errors',
    '',
    `Generated by \`npm run bench:tracker\`${report.quick ? ' (`--quick`)' : ''}; median (min–max) over the repetitions of each set-up's best step.`,
    `"ours ÷ it" is our one-process median divided by the row's median.`,
    ...(report.replicaCpu === undefined
      ? []
      : [
          '',
          `**Each of our tracker processes (ours, each replica of ours ×2, base) was capped at ${report.replicaCpu} CPU by a cgroup CFS quota (\`--replica-cpu\`).** This run asks whether a second replica adds capacity when there are cores for it; Redis and the load generator are not capped. Its absolute rates are not the tracker's ceiling.`,
        ]),
    '',
    markdownTable(['tracker', 'reps', 'max announces/s (p99 < 50 ms, 0 errors)', 'ours ÷ it', 'p99 ms at connections', 'peak announces/s (any p99)', 'tracker CPU ms / 1000 announces', 'generator CPU ms / 1000 announces', 'Redis EVALSHA / commands per announce', 'Redis CPU ms / 1000 announces', 'p50 ms (all steps)'], rows),
    '',
    `Targets (S4): ≥ 20k announces/s: ${ours.toFixed(0)}/s (${verdict(ours >= 20_000)}); ≥ 3× bittorrent-tracker: ${ratio(ours, btMedian)} (${btMedian === undefined ? 'not measured' : verdict(ours >= 3 * btMedian)}); 2 replicas ≥ 1.7× one: ${ratio(two, ours)} (${verdict(ours > 0 && (two ?? 0) >= 1.7 * ours)}); opentracker (ceiling): ours at ${otMedian ? `${((ours / otMedian) * 100).toFixed(0)} %` : '—'} of it.`,
    `Peak rates whatever the latency: ours ${peak('ours')?.toFixed(0) ?? '—'}/s, ours ×2 ${ratio(peak('ours ×2'), peak('ours'))} of it, ours ÷ bittorrent-tracker ${ratio(peak('ours'), peak('bittorrent-tracker'))}, ours ÷ opentracker ${ratio(peak('ours'), peak('opentracker'))}.`,
    '',
    budgetLine(report, cores),
    '',
    '<details><summary>Every step</summary>',
    '',
    markdownTable(['tracker', 'rep', 'connections', 'announces/s', 'p50 ms', 'p99 ms', 'errors', 'tracker CPU ms / 1000', 'generator CPU ms / 1000'], detailRows),
    '',
    '</details>',
    '',
    `- date: ${report.date}`,
    `- commit: ${report.commit}`,
    `- machine: ${report.cpu}, node ${report.node}, kernel ${report.kernel}; load average ${report.loadAverage.start.toFixed(1)} at start, ${report.loadAverage.end.toFixed(1)} at end (the machine is shared: ratios from the same run matter, absolute rates are context)`,
    `- load: ${report.peers.toLocaleString('en')} distinct peers (peer id and port) over ${report.infoHashes} info hashes, every peer announced once before measuring (swarms of ~${Math.round(report.peers / report.infoHashes).toLocaleString('en')}); then closed loops of keep-alive HTTP/1.1 GETs (bare sockets, one request in flight per connection) from ${report.threads} worker threads at ${report.levels.join(', ')} connections, ${report.durationMs / 1000} s each after ${report.warmupMs / 1000} s warm-up; compact=1, numwant=50, a third of the peers seeders; an answer that is not HTTP 200 with a bencoded dict without \`failure reason\` is an error`,
    `- max: the fastest step whose p99 latency is under ${report.p99LimitMs} ms with no errors; set-ups alternate within each repetition, rotated each repetition; the generator shares the ${cores} cores with the trackers (and Redis): its CPU per announce is in the table (higher for opentracker, which needs a connection per announce)`,
    `- Redis: a redis-server of the bench's own (INFO commandstats has no other clients); EVALSHA = client round trips per announce, commands = every command, those the Lua script runs included`,
    ...report.runs.map((run) => `- ${run.id}: ${DESCRIPTIONS[run.id] ?? ''}${run.id === 'bittorrent-tracker' ? ` (${report.bittorrentTrackerVersion}, installed on demand into bench/.cache with --ignore-scripts)` : ''}${run.id === 'base' && report.baselineCommit ? ` (commit ${report.baselineCommit})` : ''}`),
  ].join('\n');
}
