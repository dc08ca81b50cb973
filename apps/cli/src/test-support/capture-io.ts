import type { CliIo } from '../io';

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** A CliIo that records what a command prints, for in-process CLI tests. */
export function captureIo(overrides: Partial<Pick<CliIo, 'cwd' | 'env' | 'signal' | 'now'>> & { tty?: boolean } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (text: string) => out.push(text), isTTY: false },
    stderr: { write: (text: string) => err.push(text), isTTY: overrides.tty ?? false, columns: 100 },
    cwd: overrides.cwd ?? process.cwd(),
    env: overrides.env ?? {},
    now: overrides.now ?? (() => performance.now()),
    signal: overrides.signal,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
