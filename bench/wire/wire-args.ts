import { type SideId, sideIds } from './sides';

export interface WireBenchArgs {
  readonly sizeBytes: number;
  readonly pieceLength: number;
  readonly reps: number;
  /** seeder-leecher pairs in run order, e.g. [['lt', 'lt'], ['ours', 'lt']]. */
  readonly pairs: readonly (readonly [SideId, SideId])[];
  readonly timeoutMs: number;
  /** Shaped mode: seeder and leecher in two network namespaces joined by a link of this many Mbit/s. */
  readonly shapedMbit?: number;
  /** A checkout of another commit, built: side `base` runs our engine from it (A/B of two builds in one run). */
  readonly baseline?: string;
}

const corePairs: readonly (readonly [SideId, SideId])[] = [
  ['lt', 'lt'],
  ['ours', 'ours'],
  ['ours', 'lt'],
  ['lt', 'ours'],
];

/** QUALITY.md S2's other references, as seeder and as leecher against ours (they meet through opentracker). */
const referencePairs: readonly (readonly [SideId, SideId])[] = [
  ['tr', 'ours'],
  ['ours', 'tr'],
  ['aria2', 'ours'],
  ['ours', 'aria2'],
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
    const known = (id: string): boolean => (sideIds as readonly string[]).includes(id);
    if (!known(seeder) || !known(leecher)) throw new Error(`pair '${pair}' is not seeder-leecher with each one of ${sideIds.join(', ')} (e.g. lt-ours)`);
    return [seeder as SideId, leecher as SideId] as const;
  });
}

/**
 * `--size 1GiB` (env WIRE_BENCH_SIZE), `--piece-length 1MiB`, `--reps 3` (env WIRE_BENCH_REPS), `--pairs lt-lt,ours-lt`
 * (env WIRE_BENCH_PAIRS; default the four of lt and ours; sides lt, ours, tr, aria2), `--references` (the four plus
 * Transmission and aria2 against ours both ways), `--quick` (64 MiB, 1 repetition: checks the script, not a result),
 * `--shaped MBIT` (each side in a network namespace, both directions of the link shaped to MBIT with tbf), `--baseline DIR`
 * (side `base`: our engine from the built checkout DIR, e.g. `--baseline /tmp/base --pairs base-base,ours-ours,lt-lt`).
 */
export function parseWireBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WireBenchArgs {
  let size = env.WIRE_BENCH_SIZE ?? '1GiB';
  let pieceLength = '1MiB';
  let reps = env.WIRE_BENCH_REPS ? Number(env.WIRE_BENCH_REPS) : 3;
  let pairs = env.WIRE_BENCH_PAIRS ? parsePairs(env.WIRE_BENCH_PAIRS) : corePairs;
  let shapedMbit: number | undefined;
  let baseline: string | undefined;
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
    else if (flag === '--shaped') {
      shapedMbit = Number(value());
      if (!(shapedMbit > 0) || !Number.isFinite(shapedMbit)) throw new Error('--shaped needs a link rate in Mbit/s, e.g. --shaped 500');
    } else if (flag === '--references') pairs = [...corePairs, ...referencePairs];
    else if (flag === '--baseline') baseline = value();
    else if (flag === '--reps') {
      reps = Number(value());
      if (!Number.isInteger(reps) || reps < 1) throw new Error('--reps needs a positive integer');
    } else throw new Error(`unknown argument '${argv[index]}' (use --size, --piece-length, --reps, --pairs, --references, --quick, --shaped MBIT, --baseline DIR)`);
  }
  const sizeBytes = parseSize(size);
  // Generous: below 4 MiB/s (or a third of the shaped link) is a broken run, not a slow one (Transmission 3.00 manages ~15 MiB/s here).
  const floorBytesPerSecond = Math.min(4 * 1024 * 1024, shapedMbit === undefined ? Infinity : (shapedMbit * 1e6) / 8 / 3);
  return { sizeBytes, pieceLength: parseSize(pieceLength), reps, pairs, shapedMbit, baseline, timeoutMs: Math.max(120_000, (sizeBytes / floorBytesPerSecond) * 1000) };
}
