import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTool } from './run-tool';

/** python3-libtorrent is installed for Debian's interpreter, not for whatever python3 is first on PATH. */
export const systemPython = '/usr/bin/python3';

/** The scripts live in libs/testing/python; found by walking up so this works from src/ and from dist/. */
function scriptPath(name: string): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const candidate = join(directory, 'libs', 'testing', 'python', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(directory) === directory) throw new Error(`cannot find libs/testing/python/${name} above ${__dirname}`);
  }
}

/** The command line that runs one of our python scripts, for callers that launch it themselves (benches). */
export function pythonScriptInvocation(name: string, args: object): { command: string; args: string[] } {
  return { command: systemPython, args: [scriptPath(name), JSON.stringify(args)] };
}

/** Runs one of our python scripts with a JSON argument and parses the JSON it prints. */
export async function runPythonScript<T>(name: string, args: object, timeoutMs: number): Promise<T> {
  const invocation = pythonScriptInvocation(name, args);
  const result = await runTool(invocation.command, invocation.args, { timeoutMs });
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`${name} printed something that is not JSON: ${result.stdout.slice(0, 500)}`, { cause: error });
  }
}
