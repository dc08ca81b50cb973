import type { SideId } from './sides';

export interface WireBenchArgs {
  readonly sizeBytes: number;
  readonly pieceLength: number;
  readonly reps: number;
  /** seeder-leecher pairs in run order, e.g. [['lt', 'lt'], ['ours', 'lt']]. */
  readonly pairs: readonly (readonly [SideId, SideId])[];
  readonly timeoutMs: number;
}

const allPairs: readonly (readonly [SideId, SideId])[] = [
  ['lt', 'lt'],
  ['ours', 'ours'],
  ['ours', 'lt'],
  ['lt', 'ours'],
];

const units: Record<string, number> = { '': 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** "1GiB", "256M", "65536" -> bytes (binary units). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? units[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`cannot read size '${text}' (e.g. 1GiB, 256MiB, 65536)`);
  return Math.round(Number(match[1]) * unit);
}

function parsePairs(text: string): (readonly [SideId, SideId])[] {
  return text.split(',').map((pair) => {
    const [seeder, leecher] = pair.trim().split(/->|-/);
    if (!['lt', 'ours'].includes(seeder) || !['lt', 'ours'].includes(leecher)) throw new Error(`pair '${pair}' is not seeder-leecher with each 'lt' or 'ours' (e.g. lt-ours)`);
    return [seeder as SideId, leecher as SideId] as const;
  });
}

/**
 * `--size 1GiB` (env WIRE_BENCH_SIZE), `--piece-length 1MiB`, `--reps 3` (env WIRE_BENCH_REPS), `--pairs lt-lt,ours-lt`
 * (env WIRE_BENCH_PAIRS; default all four), `--quick` (64 MiB, 1 repetition: checks the script, not a result).
 */
export function parseWireBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WireBenchArgs {
  let size = env.WIRE_BENCH_SIZE ?? '1GiB';
  let pieceLength = '1MiB';
  let reps = env.WIRE_BENCH_REPS ? Number(env.WIRE_BENCH_REPS) : 3;
  let pairs = env.WIRE_BENCH_PAIRS ? parsePairs(env.WIRE_BENCH_PAIRS) : allPairs;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2);
    const value = (): string => {
      const text = inline ?? argv[++index];
      if (text === undefined) throw new Error(`${flag} needs a value`);
      return text;
    };
    if (flag === '--quick') {
      size = '64MiB';
      reps = 1;
    } else if (flag === '--size') size = value();
    else if (flag === '--piece-length') pieceLength = value();
    else if (flag === '--pairs') pairs = parsePairs(value());
    else if (flag === '--reps') {
      reps = Number(value());
      if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps needs a positive integer');
    } else throw new Error(`unknown argument '${argv[index]}' (use --size, --piece-length, --reps, --pairs, --quick)`);
  }
  const sizeBytes = parseSize(size);
  // Generous: 10 MiB/s would be a broken run, not a slow one.
  return { sizeBytes, pieceLength: parseSize(pieceLength), reps, pairs, timeoutMs: Math.max(60_000, (sizeBytes / (10 * 1024 * 1024)) * 1000) };
}
