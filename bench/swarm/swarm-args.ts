import { parseSize } from '../wire/wire-args';

export type ScenarioId = 'S1' | 'S3' | 'S8';
/**
 * ours: seedfleet agents, the origin a plain `seedfleet seed` (time first); ours-egress: the same agents, the
 * origin `seed --super-seed` (origin bytes first); lt: libtorrent; http: curl from the origin web seed.
 */
export type SwarmKind = 'ours' | 'ours-egress' | 'lt' | 'http';

export interface SwarmBenchArgs {
  readonly scenarios: readonly ScenarioId[];
  readonly sizes: readonly number[];
  readonly sizeBytes: number;
  readonly kinds: readonly SwarmKind[];
  readonly reps: number;
  readonly originUpMbit: number;
  readonly agentUpMbit: number;
  readonly agentDownMbit: number;
  /** Results go to DIR/swarm.md and swarm.json (default bench/results). */
  readonly outDir?: string;
  /** Remove namespaces left by killed runs, then exit. */
  readonly cleanup: boolean;
  readonly quick: boolean;
  /** Keep the results already in DIR/swarm.json for scenario/N/kind groups this run does not measure. */
  readonly merge: boolean;
  /** Extra `seedfleet get` flags for our agents (`--agent-flags '--choking cooperative'`), recorded with each result. */
  readonly agentFlags: readonly string[];
}

const scenarioIds: readonly ScenarioId[] = ['S1', 'S3', 'S8'];
const kindIds: readonly SwarmKind[] = ['ours', 'ours-egress', 'lt', 'http'];

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${flag} needs a positive number, not '${text}'`);
  return value;
}

/**
 * `--quick` (S1, N = 4, 32 MiB), `--scenario S1,S3,S8`, `--n 4,8,16`, `--size 256` (MiB, or 256MiB),
 * `--kinds ours,lt,http`, `--reps 1`, `--origin-up 50`, `--agent-up 10`, `--agent-down 50` (Mbit/s),
 * `--out DIR`, `--merge` (keep other scenario/N/kind results from DIR/swarm.json), `--cleanup`,
 * `--agent-flags 'FLAGS'` (extra `seedfleet get` flags for our agents, split on spaces).
 */
export function parseSwarmArgs(argv: readonly string[]): SwarmBenchArgs {
  let scenarios: ScenarioId[] = ['S1'];
  let sizes = [4, 8, 16];
  let size = '256MiB';
  let kinds: SwarmKind[] = [...kindIds];
  let reps = 1;
  let originUpMbit = 50;
  let agentUpMbit = 10;
  let agentDownMbit = 50;
  let outDir: string | undefined;
  let cleanup = false;
  let quick = false;
  let merge = false;
  let agentFlags: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2);
    const value = (): string => {
      const text = inline ?? argv[++index];
      if (text === undefined) throw new Error(`${flag} needs a value`);
      return text;
    };
    if (flag === '--quick') {
      quick = true;
      sizes = [4];
      size = '32MiB';
    } else if (flag === '--scenario') {
      scenarios = value()
        .split(',')
        .map((id) => id.trim().toUpperCase() as ScenarioId);
      for (const id of scenarios) if (!scenarioIds.includes(id)) throw new Error(`unknown scenario '${id}' (use ${scenarioIds.join(', ')})`);
    } else if (flag === '--n') {
      sizes = value()
        .split(',')
        .map((text) => positive('--n', text));
      if (sizes.some((n) => !Number.isInteger(n))) throw new Error('--n takes whole numbers, e.g. 4,8,16');
    } else if (flag === '--size') {
      const text = value();
      size = /^\d+(\.\d+)?$/.test(text) ? `${text}MiB` : text;
    } else if (flag === '--kinds') {
      kinds = value()
        .split(',')
        .map((kind) => kind.trim() as SwarmKind);
      for (const kind of kinds) if (!kindIds.includes(kind)) throw new Error(`unknown kind '${kind}' (use ${kindIds.join(', ')})`);
    } else if (flag === '--reps') {
      reps = positive('--reps', value());
      if (!Number.isInteger(reps)) throw new Error('--reps takes a whole number');
    } else if (flag === '--origin-up') originUpMbit = positive(flag, value());
    else if (flag === '--agent-up') agentUpMbit = positive(flag, value());
    else if (flag === '--agent-down') agentDownMbit = positive(flag, value());
    else if (flag === '--out') outDir = value();
    else if (flag === '--cleanup') cleanup = true;
    else if (flag === '--merge') merge = true;
    else if (flag === '--agent-flags') agentFlags = value().split(' ').filter((part) => part !== '');
    else throw new Error(`unknown argument '${argv[index]}' (use --quick, --scenario, --n, --size, --kinds, --reps, --origin-up, --agent-up, --agent-down, --out, --merge, --cleanup, --agent-flags)`);
  }
  return { scenarios, sizes, sizeBytes: parseSize(size), kinds, reps, originUpMbit, agentUpMbit, agentDownMbit, outDir, cleanup, quick, merge, agentFlags };
}
