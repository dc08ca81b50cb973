import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { ToolMissingError } from '../tool-errors';

const stderrTailBytes = 8192;

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * A long-running child (a reference client, a tracker) that is stopped by its own PID: SIGTERM, then
 * SIGKILL if it has not exited in time. Keeps the tail of stderr for error messages.
 */
export class ManagedProcess {
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  private exit: ProcessExit | undefined;
  private stderr = '';

  private constructor(
    readonly name: string,
    readonly child: ChildProcessWithoutNullStreams,
  ) {
    this.pid = child.pid!;
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-stderrTailBytes);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /** Resolves once the child is running (rejects with ToolMissingError when the command does not exist). */
  static start(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ManagedProcess> {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new Promise((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new ToolMissingError(command, { cause: error }) : error));
      child.once('spawn', () => resolve(new ManagedProcess(name, child)));
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  get exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  stderrTail(): string {
    return this.stderr.trim();
  }

  /** "<name> (pid N) exited with code 1: <stderr tail>", for errors raised when a child dies early. */
  describeExit(): string {
    const how = this.exit?.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit?.code}`;
    return `${this.name} (pid ${this.pid}) ${how}${this.stderr ? `: ${this.stderrTail().slice(-2000)}` : ''}`;
  }

  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves when the child has exited. */
  async stop(graceMs = 5000): Promise<ProcessExit> {
    if (this.exit) return this.exit;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    if (!this.exit) {
      try {
        process.kill(this.pid, signal);
      } catch (error) {
        // ESRCH: it exited between the check and the kill.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
    }
  }
}
