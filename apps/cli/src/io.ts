/** Where a command writes; a subset of a Node stream so tests can pass plain capturing objects. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything a command touches outside its arguments, so `run()` can be driven in-process by tests. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, monotonic enough for rates and ETAs. */
  readonly now: () => number;
  /** Aborted on SIGINT/SIGTERM by main.ts; long-running commands pass it down. */
  readonly signal?: AbortSignal;
}
