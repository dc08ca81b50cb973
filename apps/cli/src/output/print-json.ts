import type { OutputStream } from '../io';

/** `--json` output: one object, two-space indented, newline-terminated. */
export function printJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}
