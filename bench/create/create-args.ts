import { type BenchArgs, parseBenchArgs } from '../lib/bench-args';

export interface CreateBenchArgs extends BenchArgs {
  /** Dataset ids to run (all when undefined). */
  readonly datasets: readonly string[] | undefined;
  readonly help: boolean;
}

export const CREATE_BENCH_USAGE = `usage: npm run bench:create -- [--quick] [--reps N] [--datasets ID[,ID...]]
  --quick             small datasets (~64x smaller), results under bench/.data/results (not a result)
  --reps N            repetitions of every tool on every dataset (default 3)
  --datasets IDS      only these datasets: one-large-file, twenty-files, small-files
`;

/** The shared bench arguments plus --datasets and --help. */
export function parseCreateBenchArgs(argv: readonly string[]): CreateBenchArgs {
  const rest: string[] = [];
  let datasets: string[] | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--datasets') datasets = (argv[++index] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--datasets=')) datasets = arg.slice('--datasets='.length).split(',').filter(Boolean);
    else rest.push(arg);
  }
  return { ...parseBenchArgs(rest), datasets, help };
}
