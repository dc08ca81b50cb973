import { execFileSync } from 'node:child_process';
import { runTool } from '../run-tool';

const commandTimeoutMs = 15_000;

/** Runs `ip` or `tc` with a hard timeout; a failure throws ToolFailedError naming the command and its stderr. */
export async function ip(args: readonly string[]): Promise<string> {
  return (await runTool('ip', args, { timeoutMs: commandTimeoutMs })).stdout;
}

export async function tc(args: readonly string[]): Promise<string> {
  return (await runTool('tc', args, { timeoutMs: commandTimeoutMs })).stdout;
}

/** For exit handlers, which cannot wait for promises; failures are ignored (the namespace may be gone already). */
export function ipSync(args: readonly string[]): string {
  try {
    return execFileSync('ip', args, { encoding: 'utf8', timeout: commandTimeoutMs, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}
