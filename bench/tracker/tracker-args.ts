import { resolve } from 'node:path';

export const TARGET_IDS = ['ours', 'ours ×2', 'base', 'opentracker', 'bittorrent-tracker', 'static reply'] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export interface TrackerBenchArgs {
  readonly quick: boolean;
  readonly reps: number;
  /** Set-ups to measure, in table order. */
  readonly targets: readonly TargetId[];
  /** Connection counts stepped through per set-up. */
  readonly levels: readonly number[];
  readonly durationMs: number;
  readonly warmupMs: number;
  /** The `seedfleet` launcher to run (default bin/seedfleet.js of the repository). */
  readonly cli?: string;
  /** Set-up `base`: `seedfleet tracker` of this other built checkout, for an A/B of two builds in one run. */
  readonly baseline?: string;
  /** Extra node options for our tracker processes, e.g. --cpu-prof (profiles land in their cwd). */
  readonly trackerNodeOptions: readonly string[];
  /** Caps each of our tracker processes at this many CPUs (cgroup CFS quota), to show scale-out on few cores. */
  readonly replicaCpu?: number;
  /** Results go to DIR/tracker.md and .json (default bench/results). */
  readonly outDir?: string;
  /** Rewrite tracker.md next to this tracker.json from it, measuring nothing. */
  readonly render?: string;
  readonly help: boolean;
}

export const TRACKER_BENCH_USAGE = `npm run bench:tracker -- [options]
  --quick              levels 4,16,64, 3 s per step (default: 4,8,16,32,64,128, 5 s)
  --reps N             repetitions (default 3)
  --only IDS           set-ups to run, comma-separated: ${TARGET_IDS.map(cliName).join(',')}
  --levels N,N,...     connection counts per step
  --duration S         seconds measured per step (warm-up is a fifth of it, at least 0.5 s)
  --cli PATH           seedfleet launcher to benchmark (default bin/seedfleet.js)
  --baseline DIR       adds set-up 'base': the tracker of another built checkout (e.g. a git worktree of
                       the previous commit), same Redis and swarms, measured alternately with ours
  --tracker-node-option OPT   node option for our tracker processes (repeatable), e.g. --cpu-prof
  --replica-cpu CPUS   cap each of our tracker processes (ours, both of ours x2, base) at CPUS CPUs with a
                       cgroup CFS quota (root; cgroup v1 cpu controller), e.g. 0.3: two capped replicas
                       against one show whether replicas add capacity when the machine has cores to spare,
                       which 2 cores shared with Redis and the generator do not; use with --out
  --out DIR            write DIR/tracker.md and DIR/tracker.json (default bench/results)
  --render FILE        rewrite tracker.md beside FILE (a tracker.json) from it, measuring nothing
  --help`;

function numbers(flag: string, text: string): number[] {
  const values = text.split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value < 1)) throw new Error(`${flag} takes positive whole numbers, e.g. 4,16,64, not '${text}'`);
  return values;
}

/** Set-up ids as typed on a command line: oursx2, static-reply. */
function cliName(id: TargetId): string {
  return id.replace(' ×2', 'x2').replace(' ', '-');
}

function targetId(text: string): TargetId {
  const known = TARGET_IDS.find((candidate) => cliName(candidate) === text.trim());
  if (!known) throw new Error(`unknown set-up '${text}' (use ${TARGET_IDS.map(cliName).join(', ')})`);
  return known;
}

export function parseTrackerArgs(argv: readonly string[], cwd: string = process.cwd()): TrackerBenchArgs {
  let quick = false;
  let reps = 3;
  let targets: TargetId[] = [...TARGET_IDS];
  let levels: number[] | undefined;
  let durationSeconds: number | undefined;
  let cli: string | undefined;
  let baseline: string | undefined;
  let only = false;
  const trackerNodeOptions: string[] = [];
  let outDir: string | undefined;
  let replicaCpu: number | undefined;
  let render: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    const equals = arg.indexOf('=');
    const flag = equals < 0 ? arg : arg.slice(0, equals);
    const value = (): string => {
      const text = equals < 0 ? argv[++index] : arg.slice(equals + 1);
      if (text === undefined) throw new Error(`${flag} needs a value`);
      return text;
    };
    if (flag === '--quick') quick = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--reps') [reps] = numbers(flag, value());
    else if (flag === '--only') {
      only = true;
      targets = [...new Set(value().split(',').map(targetId))].sort((a, b) => TARGET_IDS.indexOf(a) - TARGET_IDS.indexOf(b));
    }
    else if (flag === '--levels') levels = numbers(flag, value());
    else if (flag === '--duration') [durationSeconds] = numbers(flag, value());
    else if (flag === '--cli') cli = resolve(cwd, value());
    else if (flag === '--baseline') baseline = resolve(cwd, value());
    else if (flag === '--tracker-node-option') trackerNodeOptions.push(value());
    else if (flag === '--out') outDir = resolve(cwd, value());
    else if (flag === '--replica-cpu') {
      const text = value();
      replicaCpu = Number(text);
      if (!Number.isFinite(replicaCpu) || replicaCpu < 0.01) throw new Error(`--replica-cpu takes a number of CPUs of at least 0.01, e.g. 0.3, not '${text}'`);
    }
    else if (flag === '--render') render = resolve(cwd, value());
    else throw new Error(`unknown argument '${arg}'\n${TRACKER_BENCH_USAGE}`);
  }
  if (!only) targets = targets.filter((id) => id !== 'base' || baseline !== undefined);
  if (targets.includes('base') && baseline === undefined) throw new Error('set-up base needs --baseline DIR (a built checkout)');
  const durationMs = durationSeconds !== undefined ? durationSeconds * 1000 : quick ? 3000 : 5000;
  return {
    quick,
    reps,
    targets,
    levels: levels ?? (quick ? [4, 16, 64] : [4, 8, 16, 32, 64, 128]),
    durationMs,
    warmupMs: Math.max(500, durationMs / 5),
    cli,
    baseline,
    trackerNodeOptions,
    replicaCpu,
    outDir,
    render,
    help,
  };
}
