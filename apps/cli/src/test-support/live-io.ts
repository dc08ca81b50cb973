import type { CliIo } from '../io';

export interface LiveIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
  /** Resolves once what was written (stdout + stderr) satisfies `predicate`; checked on every write. */
  waitFor<T>(predicate: (out: string, err: string) => T | undefined | false, timeoutMs?: number): Promise<T>;
  /** Aborts `signal`, as SIGINT does in main.ts. */
  interrupt(): void;
}

/** A CliIo for long-running commands driven in-process: tests wait on output instead of sleeping. */
export function liveIo(cwd: string): LiveIo {
  let out = '';
  let err = '';
  const controller = new AbortController();
  const waiters = new Set<() => void>();
  const changed = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  return {
    stdout: { write: (text: string) => ((out += text), changed()), isTTY: false },
    stderr: { write: (text: string) => ((err += text), changed()), isTTY: false },
    cwd,
    env: {},
    now: () => performance.now(),
    signal: controller.signal,
    out: () => out,
    err: () => err,
    interrupt: () => controller.abort(new Error('interrupted')),
    waitFor<T>(predicate: (out: string, err: string) => T | undefined | false, timeoutMs = 20_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): void => {
          const value = predicate(out, err);
          if (value === undefined || value === false) return;
          cleanup();
          resolve(value);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`output never matched within ${timeoutMs} ms; stdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
