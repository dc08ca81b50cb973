import { resolve } from 'node:path';
import { type BenchArgs, parseBenchArgs } from '../lib/bench-args';

export interface CreateBenchArgs extends BenchArgs {
  /** Dataset ids to run (all when undefined). */
  readonly datasets: readonly string[] | undefined;
  /** Versions to run (all when undefined). */
  readonly versions: readonly string[] | undefined;
  /** Another built checkout, run as the extra tool 'seedfleet base' next to ours (an A/B of two builds). */
  readonly baseline: string | undefined;
  /** Where the datasets live (undefined: a tmpfs when one has room, else bench/.data). */
  readonly dataDir: string | undefined;
  /** Leave datasets generated on a tmpfs in place after the run (they hold ~10 GB of RAM). */
  readonly keepData: boolean;
  /** Run the tools with this machine's NODE_EXTRA_CA_CERTS instead of without it. */
  readonly keepExtraCaCerts: boolean;
  readonly help: boolean;
}

export const CREATE_BENCH_USAGE = `usage: npm run bench:create -- [--quick] [--reps N] [--datasets ID[,ID...]] [--versions V[,V...]] [--baseline DIR] [--data-dir DIR] [--keep-data]
                              [--keep-node-extra-ca-certs]
  --quick             small datasets (~64x smaller), results under bench/.data/results (not a result)
  --reps N            repetitions of every tool on every dataset (default 3)
  --datasets IDS      only these datasets: one-large-file, twenty-files, small-files
  --versions VS       only these versions: v1, v2, hybrid
  --baseline DIR      adds the tool 'seedfleet base': \`seedfleet torrent create\` of another built checkout
                      (e.g. a git worktree of an older commit), run back to back with ours like a
                      reference, for an A/B of two builds in one run; its info hashes must equal ours
  --data-dir DIR      where the datasets are generated and read (default: /dev/shm/seedfleet-bench when it
                      is a tmpfs with room for them, else bench/.data): in RAM no tool waits for the disk,
                      whereas this host evicts the page cache within minutes and a cold read costs seconds
  --keep-data         leave the datasets on the tmpfs after the run (they hold ~10 GB of RAM; the next run
                      reuses them); datasets under bench/.data always stay
  --keep-node-extra-ca-certs
                      run the tools with NODE_EXTRA_CA_CERTS as set here; by default it is removed from
                      their environment: no tool makes a TLS connection, and with a system bundle in it
                      every Node start parses ~150 certificates first (60-100 ms on this machine)
`;

/** The shared bench arguments plus --datasets and --help. */
export function parseCreateBenchArgs(argv: readonly string[]): CreateBenchArgs {
  const rest: string[] = [];
  let datasets: string[] | undefined;
  let versions: string[] | undefined;
  let baseline: string | undefined;
  let dataDir: string | undefined;
  let keepData = false;
  let keepExtraCaCerts = false;
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
    else if (arg === '--data-dir') dataDir = resolve(argv[++index] ?? '');
    else if (arg.startsWith('--data-dir=')) dataDir = resolve(arg.slice('--data-dir='.length));
    else if (arg === '--keep-data') keepData = true;
    else if (arg === '--keep-node-extra-ca-certs') keepExtraCaCerts = true;
    else rest.push(arg);
  }
  const unknown = (versions ?? []).filter((version) => !['v1', 'v2', 'hybrid'].includes(version));
  if (unknown.length > 0 || versions?.length === 0) throw new Error(`--versions takes v1, v2 and/or hybrid, got '${(versions ?? []).join(',')}'`);
  return { ...parseBenchArgs(rest), datasets, versions, baseline, dataDir, keepData, keepExtraCaCerts, help };
}
