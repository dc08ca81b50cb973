import { spawn } from 'node:child_process';
import { ToolFailedError, ToolMissingError, ToolTimeoutError } from './tool-errors';

export interface RunToolOptions {
  /** Hard limit; the child is SIGKILLed by PID when it passes. */
  readonly timeoutMs: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Resolve with the result instead of throwing ToolFailedError on a non-zero exit. */
  readonly allowFailure?: boolean;
}

export interface ToolResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** Runs a reference tool to completion with a hard timeout; errors say which tool and why. */
export function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  return new Promise((resolvePromise, reject) => {
    const startedAt = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new ToolMissingError(command, { cause: error }) : error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const result = {
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        durationMs: performance.now() - startedAt,
      };
      if (timedOut) reject(new ToolTimeoutError(command, options.timeoutMs, result.stderr));
      else if (exitCode !== 0 && !options.allowFailure) reject(new ToolFailedError(command, args, exitCode, signal, result.stdout, result.stderr));
      else resolvePromise(result);
    });
  });
}
