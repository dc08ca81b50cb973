import { resolve } from 'node:path';
import { type BenchArgs, parseBenchArgs } from '../lib/bench-args';

export interface CreateBenchArgs extends BenchArgs {
  /** Dataset ids to run (all when undefined). */
  readonly datasets: readonly string[] | undefined;
  /** Versions to run (all when undefined). */
  readonly versions: readonly string[] | undefined;
  /** Another built checkout, run as the extra tool 'seedfleet base' next to ours (an A/B of two builds). */
  readonly baseline: string | undefined;
  readonly help: boolean;
}

export const CREATE_BENCH_USAGE = `usage: npm run bench:create -- [--quick] [--reps N] [--datasets ID[,ID...]] [--versions V[,V...]] [--baseline DIR]
  --quick             small datasets (~64x smaller), results under bench/.data/results (not a result)
  --reps N            repetitions of every tool on every dataset (default 3)
  --datasets IDS      only these datasets: one-large-file, twenty-files, small-files
  --versions VS       only these versions: v1, v2, hybrid
  --baseline DIR      adds the tool 'seedfleet base': \`seedfleet torrent create\` of another built checkout
                      (e.g. a git worktree of an older commit), run back to back with ours like a
                      reference, for an A/B of two builds in one run; its info hashes must equal ours
`;

/** The shared bench arguments plus --datasets and --help. */
export function parseCreateBenchArgs(argv: readonly string[]): CreateBenchArgs {
  const rest: string[] = [];
  let datasets: string[] | undefined;
  let versions: string[] | undefined;
  let baseline: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--datasets') datasets = (argv[++index] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--datasets=')) datasets = arg.slice('--datasets='.length).split(',').filter(Boolean);
    else if (arg === '--versions') versions = (argv[++index] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--versions=')) versions = arg.slice('--versions='.length).split(',').filter(Boolean);
    else if (arg === '--baseline') baseline = resolve(argv[++index] ?? '');
    else if (arg.startsWith('--baseline=')) baseline = resolve(arg.slice('--baseline='.length));
    else rest.push(arg);
  }
  const unknown = (versions ?? []).filter((version) => !['v1', 'v2', 'hybrid'].includes(version));
  if (unknown.length > 0 || versions?.length === 0) throw new Error(`--versions takes v1, v2 and/or hybrid, got '${(versions ?? []).join(',')}'`);
  return { ...parseBenchArgs(rest), datasets, versions, baseline, help };
}
