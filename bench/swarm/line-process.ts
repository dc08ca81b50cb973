import { createInterface } from 'node:readline';
import type { ManagedProcess } from '@seedfleet/testing';

/** Calls `onEvent` with each JSON object a process prints on stdout (other lines are skipped). */
export function onJsonLines(process: ManagedProcess, onEvent: (event: Record<string, unknown>) => void): void {
  createInterface({ input: process.child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    try {
      onEvent(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A partial or foreign line: not ours to interpret.
    }
  });
}

/** The first event matching `match`, or a rejection when the process exits first. */
export function firstJsonEvent(process: ManagedProcess, match: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    onJsonLines(process, (event) => {
      if (match(event)) resolve(event);
    });
    void process.exited.then(() => reject(new Error(process.describeExit())));
  });
}
