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

/** Runs one of our python scripts with a JSON argument and parses the JSON it prints. */
export async function runPythonScript<T>(name: string, args: object, timeoutMs: number): Promise<T> {
  const result = await runTool(systemPython, [scriptPath(name), JSON.stringify(args)], { timeoutMs });
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`${name} printed something that is not JSON: ${result.stdout.slice(0, 500)}`, { cause: error });
  }
}
