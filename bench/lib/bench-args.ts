export interface BenchArgs {
  /** Small data sizes for a fast end-to-end check of the script itself. */
  readonly quick: boolean;
  readonly reps: number;
}

/** `--quick` and `--reps N` (default 3, the minimum QUALITY.md accepts for a reported number). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let quick = false;
  let reps = 3;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--reps' || arg.startsWith('--reps=')) {
      const text = arg === '--reps' ? argv[++index] : arg.slice('--reps='.length);
      reps = Number(text);
      if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps needs a positive integer, got '${text}'`);
    } else throw new Error(`unknown argument '${arg}' (use --quick, --reps N)`);
  }
  return { quick, reps };
}
