import { runTool, type ToolResult } from './run-tool';

export interface MktorrentOptions {
  readonly path: string;
  readonly output: string;
  /** A power of two (mktorrent takes its log2). */
  readonly pieceLength: number;
  /** Hashing threads (`-t`); mktorrent defaults to the number of cores. */
  readonly threads?: number;
  /** One entry per tier; URLs of a tier are comma-joined, as mktorrent's `-a` expects. */
  readonly trackers?: readonly (readonly string[])[];
  readonly webSeeds?: readonly string[];
  readonly private?: boolean;
  readonly comment?: string;
  /** Write a creation date (mktorrent's default); false passes `-d`. */
  readonly date?: boolean;
  readonly timeoutMs?: number;
}

export function mktorrentArgs(options: MktorrentOptions): string[] {
  const log2 = Math.log2(options.pieceLength);
  if (!Number.isInteger(log2)) throw new RangeError(`mktorrent needs a power-of-two piece length, got ${options.pieceLength}`);
  const args = ['-l', String(log2), '-o', options.output];
  if (options.threads !== undefined) args.push('-t', String(options.threads));
  for (const tier of options.trackers ?? []) args.push('-a', tier.join(','));
  for (const seed of options.webSeeds ?? []) args.push('-w', seed);
  if (options.private) args.push('-p');
  if (options.comment !== undefined) args.push('-c', options.comment);
  if (options.date === false) args.push('-d');
  args.push(options.path);
  return args;
}

/** mktorrent 1.1: v1 only; refuses to overwrite an existing output file. */
export function mktorrent(options: MktorrentOptions): Promise<ToolResult> {
  return runTool('mktorrent', mktorrentArgs(options), { timeoutMs: options.timeoutMs ?? 120_000 });
}
