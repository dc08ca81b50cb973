import { CliError } from '../cli-error';

/**
 * The one line a user sees: `seedfleet: error: <message>[: <cause>...]`. A CliError's message is written
 * for people and complete, so its causes are left out; other errors get their cause chain appended
 * (minus what the message already says). With `debug` the stack traces follow, for bug reports.
 */
export function formatError(error: unknown, debug: boolean): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 8; depth++) {
    const message = messageOf(current);
    if (message !== '' && !parts.some((part) => part.includes(message))) parts.push(message);
    if (current instanceof CliError) break;
    current = isErrorLike(current) ? current.cause : undefined;
  }
  const line = `seedfleet: error: ${parts.join(': ') || 'unknown error'}\n`;
  return debug ? `${line}${stackTraces(error)}` : line;
}

/** Duck-typed, because errors from another realm (Node internals under a test VM) fail `instanceof Error`. */
function isErrorLike(value: unknown): value is { message: string; cause?: unknown; stack?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

function messageOf(value: unknown): string {
  return isErrorLike(value) ? value.message : String(value);
}

function stackTraces(error: unknown): string {
  const traces: string[] = [];
  for (let current: unknown = error, depth = 0; isErrorLike(current) && depth < 8; depth++) {
    traces.push(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}`);
    current = current.cause;
  }
  return traces.length > 0 ? `${traces.join('\n')}\n` : '';
}
