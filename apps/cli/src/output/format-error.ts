/**
 * The one line a user sees: `seedfleet: error: <message>[: <cause>...]`. Causes are appended unless the
 * message already says them. With `debug` the stack traces follow, for bug reports.
 */
export function formatError(error: unknown, debug: boolean): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 8; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message !== '' && !parts.some((part) => part.includes(message))) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  const line = `seedfleet: error: ${parts.join(': ') || 'unknown error'}\n`;
  return debug ? `${line}${stackTraces(error)}` : line;
}

function stackTraces(error: unknown): string {
  const traces: string[] = [];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    traces.push(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}`);
    current = current.cause;
  }
  return traces.length > 0 ? `${traces.join('\n')}\n` : '';
}
