import { runTool, systemPython } from '@seedfleet/testing';

export { createTempDir, type TempDir } from '@seedfleet/testing';

/** Runs a python script next to the test (not in libs/testing/python) with a JSON argument; parses its JSON output. */
export async function runPythonScriptAt<T>(script: string, args: object, timeoutMs: number): Promise<T> {
  const result = await runTool(systemPython, [script, JSON.stringify(args)], { timeoutMs });
  return JSON.parse(result.stdout) as T;
}
